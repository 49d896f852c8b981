// attachGuard: pre-send checking for a <textarea>, framework-free. Checks as the user
// types (debounced, after the input event has been handled, so typing is never held up),
// reports findings with their spans, and on submit blocks with the policy's message,
// redacts the text in place, or lets it through — as the policy decides.
import type { Finding, Phase, ScanResult } from "../bindings/guard.ts";

export type SubmitDecision =
  /** a block (or stop) rule fired: nothing is sent */
  | { kind: "blocked"; message: string; result: ScanResult }
  /** the policy redacted or pseudonymised spans: `text` (already in the textarea) is what is sent */
  | { kind: "redacted"; text: string; original: string; result: ScanResult }
  /** nothing to change (findings may still have been flagged) */
  | { kind: "allowed"; text: string; result: ScanResult };

export interface AttachGuardOptions {
  /** a guard from createGuard() (either browser bundle) */
  guard: { scan(text: string, options?: { phase?: Phase }): ScanResult };
  /** called after every check with the findings (UTF-16 spans into the textarea's value) */
  onFindings?: (findings: Finding[], result: ScanResult, text: string) => void;
  /**
   * called on submit (the form's submit event, Ctrl/Cmd+Enter, or submit()) with the decision.
   * Return false to cancel the form's own submission (e.g. when you send with fetch yourself).
   * Without it, a block is shown with the browser's validation bubble.
   */
  onSubmit?: (decision: SubmitDecision) => void | boolean;
  /** phase whose rules apply (default "ingress": the text is about to be sent to a model) */
  phase?: Phase;
  /** quiet time after the last keystroke before a check (default 120 ms) */
  debounceMs?: number;
  /** longest wait while the user keeps typing (default 600 ms) */
  maxWaitMs?: number;
  /** the form whose submit is guarded (default: textarea.form) */
  form?: HTMLFormElement | null;
  /** Ctrl/Cmd+Enter submits (default true) */
  submitKey?: boolean;
}

export interface AttachedGuard {
  /** checks the current text now (cancels a pending debounced check) */
  check(): ScanResult;
  /** decides as on submit: redacts in place, or reports the block; calls onSubmit */
  submit(): SubmitDecision;
  /** swaps the guard (e.g. another policy) and checks again */
  setGuard(guard: AttachGuardOptions["guard"]): void;
  /** the result of the latest check */
  readonly last: ScanResult | undefined;
  /** removes every listener */
  detach(): void;
}

/**
 * @example
 * const guard = await createGuard();
 * const g = attachGuard(document.querySelector("textarea")!, {
 *   guard,
 *   onFindings: (findings) => render(findings),
 *   onSubmit: (d) => { if (d.kind !== "blocked") send(d.text); return false; },
 * });
 */
export function attachGuard(textarea: HTMLTextAreaElement, options: AttachGuardOptions): AttachedGuard {
  let guard = options.guard;
  const phase = options.phase ?? "ingress";
  const debounceMs = options.debounceMs ?? 120;
  const maxWaitMs = options.maxWaitMs ?? 600;
  const form = options.form === undefined ? textarea.form : options.form;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let firstPending = 0; // when the oldest unchecked edit happened
  let composing = false;
  let last: ScanResult | undefined;
  let lastText: string | undefined;

  const cancel = () => { if (timer !== undefined) clearTimeout(timer); timer = undefined; firstPending = 0; };

  const check = (): ScanResult => {
    cancel();
    const text = textarea.value;
    const result = guard.scan(text, { phase });
    last = result;
    lastText = text;
    textarea.toggleAttribute("aria-invalid", false);
    options.onFindings?.(result.findings, result, text);
    return result;
  };

  const schedule = () => {
    if (composing) return; // an IME is composing: check when it commits
    const now = Date.now();
    if (!firstPending) firstPending = now;
    if (timer !== undefined) clearTimeout(timer);
    const wait = Math.max(0, Math.min(debounceMs, firstPending + maxWaitMs - now));
    timer = setTimeout(() => { timer = undefined; firstPending = 0; if (textarea.value !== lastText) check(); }, wait);
  };

  const decide = (): SubmitDecision => {
    const original = textarea.value;
    const result = check(); // always a fresh check: never a stale debounced one
    if (result.stopped || result.action === "block" || result.action === "stop") {
      textarea.setAttribute("aria-invalid", "true");
      return { kind: "blocked", message: result.message ?? "Blocked by the policy.", result };
    }
    if (result.text !== original) {
      textarea.value = result.text; // redacted in place: what the user sees is what is sent
      check(); // the spans reported so far pointed into the text before redaction
      textarea.dispatchEvent(new Event("wardline:redacted", { bubbles: true }));
      return { kind: "redacted", text: result.text, original, result };
    }
    return { kind: "allowed", text: original, result };
  };

  /** decides, tells the caller; true when the form's own submission must not go ahead */
  const run = (): { decision: SubmitDecision; cancel: boolean } => {
    const decision = decide();
    const verdict = options.onSubmit?.(decision);
    if (!options.onSubmit && decision.kind === "blocked") {
      textarea.setCustomValidity(decision.message);
      textarea.reportValidity();
    }
    return { decision, cancel: decision.kind === "blocked" || verdict === false };
  };
  const submit = (): SubmitDecision => run().decision;

  const onInput = () => { textarea.setCustomValidity(""); schedule(); };
  const onCompStart = () => { composing = true; };
  const onCompEnd = () => { composing = false; schedule(); };
  const onFormSubmit = (e: SubmitEvent) => { if (run().cancel) e.preventDefault(); };
  const onKey = (e: KeyboardEvent) => {
    if (options.submitKey === false || e.key !== "Enter" || !(e.ctrlKey || e.metaKey)) return;
    e.preventDefault();
    if (form) form.requestSubmit(); else submit();
  };

  textarea.addEventListener("input", onInput);
  textarea.addEventListener("compositionstart", onCompStart);
  textarea.addEventListener("compositionend", onCompEnd);
  textarea.addEventListener("keydown", onKey);
  form?.addEventListener("submit", onFormSubmit);
  if (textarea.value) schedule();

  return {
    check,
    submit,
    setGuard(g) { guard = g; check(); },
    get last() { return last; },
    detach() {
      cancel();
      textarea.removeEventListener("input", onInput);
      textarea.removeEventListener("compositionstart", onCompStart);
      textarea.removeEventListener("compositionend", onCompEnd);
      textarea.removeEventListener("keydown", onKey);
      form?.removeEventListener("submit", onFormSubmit);
    },
  };
}
