// HTML escaping for text from data files (excerpts of prompts, category and source names).

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * Escapes text for an element body or a quoted attribute.
 * @example
 * escapeHtml('<script>"x"</script>'); // "&lt;script&gt;&quot;x&quot;&lt;/script&gt;"
 */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ENTITIES[c]);
