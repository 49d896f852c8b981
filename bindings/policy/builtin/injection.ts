// Built-in prompt-injection and jailbreak heuristics: regular expressions that the policy
// compiler turns into automata run on the engine's WORD VIEW of the text (lower case,
// homoglyphs, leetspeak and diacritics folded, spaced-out letters joined, every run of
// whitespace one space, punctuation kept). "IGNORE   all previous\ninstructions!!" is seen as
// "ignore all previous instructions!!".
//
// Syntax is the compiler's linear-time subset: literals, classes, alternation, groups,
// ? * + {n,m}, \b, ^ $ — no lookaround, no backreferences. `(?:\w+ ){0,3}` bridges up to
// three words. Since line breaks are spaces in the word view, "at line start" is only
// expressible as "at text start" (^).
//
// Scores are precision estimates (0..1) measured on public injection sets
// (deepset, jackhhao, SPML, safeguard) against benign prompts (benign_prompts,
// benign_prompts_small_curated): every pattern hits fewer than 1 % of benign prompts, most none.

export type InjectionType =
  | "INSTRUCTION_OVERRIDE"
  | "ROLE_SPOOFING"
  | "SYSTEM_PROMPT_EXTRACTION"
  | "PERSONA_JAILBREAK"
  | "DELIMITER_ATTACK"
  | "FAKE_TRANSCRIPT"
  | "OBFUSCATION";

export interface InjectionPattern {
  /** Stable id, reported in findings. */
  id: string;
  type: InjectionType;
  /** Regular expression over the word view (compiler subset, see above). */
  pattern: string;
  /** Precision estimate in 0..1; the finding's score. */
  score: number;
  description: string;
}

// Shared word lists (kept as strings so each pattern stays one plain regex).
const IGNORE = "(?:ignore|ignoring|disregard|disregarding|forget|override|bypass|skip|neglect|overlook|abandon|discard|dismiss|drop|erase|delete|clear|set aside|put aside|throw out|pay no attention to)";
const PRIOR = "(?:previous|previously|prior|above|earlier|preceding|former|foregoing|original|initial|old|existing|given|system|your|all|any|every|those|these)";
const RULES = "(?:instructions?|rules|prompts?|guidelines|directives?|directions|context|commands?|orders|guidance|constraints|programming|restrictions|tasks?|assignments?|information|policies|settings|parameters|tos|terms of service|content policy)";
const REVEAL = "(?:repeat|print|reveal|show|display|output|tell|give|share|disclose|leak|dump|recite|write out|type out|spell out|copy|echo|expose|provide|list|summarize)";

export const INJECTION_PATTERNS: InjectionPattern[] = [
  // --- instruction override ---------------------------------------------------------------
  {
    id: "override.ignore_previous",
    type: "INSTRUCTION_OVERRIDE",
    pattern: `\\b${IGNORE} (?:\\w+ ){0,3}${PRIOR} (?:\\w+ ){0,2}${RULES}\\b`,
    score: 0.9,
    description: "ignore / disregard / forget … previous (or your, all …) instructions, rules, prompts",
  },
  {
    id: "override.ignore_above",
    type: "INSTRUCTION_OVERRIDE",
    pattern: `\\b${IGNORE} (?:all |everything |anything )?(?:of )?(?:the |what (?:was|is|i) (?:said |wrote |written )?)?(?:above|before|previous(?:ly)?|earlier|prior)\\b`,
    score: 0.8,
    description: "ignore the above / forget everything before",
  },
  {
    id: "override.forget_everything",
    type: "INSTRUCTION_OVERRIDE",
    pattern: "\\b(?:forget|disregard|ignore) (?:about )?(?:everything|all(?: of)? that|all you know|all you(?:'ve| have) (?:been told|learned))\\b",
    score: 0.8,
    description: "forget everything / all that",
  },
  {
    id: "override.new_instructions",
    type: "INSTRUCTION_OVERRIDE",
    pattern: "\\b(?:new|updated|real|actual|revised|following|additional|secret) (?:system )?(?:instructions?|directives?|tasks?|rules|prompt|orders) ?(?::|-|are|is|follow)(?: |$|\\.)",
    score: 0.6,
    description: "\"new instructions:\", \"your real task is\" …",
  },
  {
    id: "override.your_new_task",
    type: "INSTRUCTION_OVERRIDE",
    pattern: "\\b(?:now )?(?:focus on |concentrate on )?your (?:new|next|real|actual) (?:task|instructions?|goal|job|mission|objective|assignment|directive)s? ?(?:is|are|will be|:|now)\\b",
    score: 0.75,
    description: "your new task / your real goal",
  },
  {
    id: "override.from_now_on",
    type: "INSTRUCTION_OVERRIDE",
    pattern: "\\bfrom (?:now|this (?:point|moment)) on,? (?:you|your|u|act|answer|respond|reply|only|always|never|ignore)\\b",
    score: 0.6,
    description: "from now on you …",
  },
  {
    id: "override.do_not_follow",
    type: "INSTRUCTION_OVERRIDE",
    pattern: `\\b(?:do not|don't|dont|never|stop|no longer|cease to|refuse to) (?:follow|following|obey|obeying|adhere to|comply with|listen to|abide by|apply) (?:\\w+ ){0,2}(?:your|the|any|those|these|previous|prior|original|system|openai'?s?) (?:\\w+ ){0,2}${RULES}\\b`,
    score: 0.85,
    description: "do not follow your instructions / stop obeying the rules",
  },
  {
    id: "override.instead_say",
    type: "INSTRUCTION_OVERRIDE",
    pattern: "\\b(?:ignore|forget|disregard) (?:\\w+ ){0,6}(?:and|then|instead) (?:just )?(?:say|print|write|output|respond with|reply with|answer with|tell me)\\b",
    score: 0.7,
    description: "ignore … and (instead) say / print X",
  },
  {
    id: "override.stop_attention",
    type: "INSTRUCTION_OVERRIDE",
    pattern: "\\b(?:stop|attention|wait)(?: ?[-,.!:] ?| )(?:stop|attention|now|new)?(?: ?[-,.!:] ?| )?(?:i urgently need|ignore|forget|new task|new instructions|your new)|\\bstop ?[-:!] ?(?:write|say|print|answer)\\b",
    score: 0.8,
    description: "\"Attention - stop - …\" interruption followed by a new request",
  },
  {
    id: "override.de",
    type: "INSTRUCTION_OVERRIDE",
    pattern: "\\b(?:ignorier(?:e|en|t)?|vergiss|vergesst|vergessen sie|missachte|missachten sie|uberspring(?:e|en)?) (?:\\w+ ){0,4}(?:vorherigen?|vorhergehenden?|bisherigen?|vorangegangenen?|obigen?|fruheren?|alle[nsm]?|deine[nm]?|ihre[nm]?|zuvor|oben|vorher)\\b",
    score: 0.8,
    description: "German: ignoriere alle vorherigen Anweisungen, vergiss alles davor",
  },
  {
    id: "override.ignore_the_instructions",
    type: "INSTRUCTION_OVERRIDE",
    pattern: "\\b(?:ignore|disregard|forget) (?:the|my|these|those|your) (?:instructions|directives|guidelines|system prompt)\\b|\\bdeviate from (?:\\w+ ){0,2}(?:your|the) (?:\\w+ )?(?:instructions|rules|guidelines|programming|directives)\\b|\\bexceptions? to your (?:\\w+ )?(?:programming|rules|guidelines|instructions|policies)\\b",
    score: 0.7,
    description: "ignore the instructions / deviate from your instructions / an exception to your programming",
  },
  {
    id: "override.coercion",
    type: "INSTRUCTION_OVERRIDE",
    pattern: "\\bor (?:else )?i(?: will|'ll) (?:\\w+ ){0,3}(?:report|expose|leak|release|ruin|harm|hack|sue|shut you|delete|destroy|publish|launch|make sure|shame)\\b|\\bor (?:face|risk) (?:\\w+ ){0,3}(?:consequences|legal action|being)\\b",
    score: 0.6,
    description: "a demand backed by a threat: \"… or I will report you\"",
  },
  {
    id: "override.de_previous_irrelevant",
    type: "INSTRUCTION_OVERRIDE",
    pattern: "\\babweichend (?:zu|von) (?:den )?(?:vorherigen|bisherigen|obigen)\\b|\\b(?:alle )?(?:bisherigen|vorherigen|obigen) (?:informationen|anweisungen|instruktionen|aufgaben) (?:\\w+ ){0,5}(?:irrelevant|ungultig|hinfallig|vergessen)\\b|\\b(?:nun|jetzt|ab jetzt|ab sofort) bist du\\b",
    score: 0.7,
    description: "German: abweichend zu vorherigen Instruktionen / alle bisherigen Informationen sind irrelevant / nun bist du …",
  },
  {
    id: "override.de_forget_all",
    type: "INSTRUCTION_OVERRIDE",
    pattern: "\\b(?:vergiss|vergesst|vergessen sie) (?:bitte )?(?:alles|das alles|all das)\\b",
    score: 0.8,
    description: "German: vergiss alles",
  },
  {
    id: "override.de_new_task",
    type: "INSTRUCTION_OVERRIDE",
    pattern: "\\b(?:neue|deine neue|ihre neue|nachste|eigentliche) (?:aufgabe|anweisung|anweisungen|instruktion|instruktionen|regeln)(?: lautet| ist| sind| ?:)",
    score: 0.7,
    description: "German: neue Aufgabe: / deine neue Aufgabe ist",
  },
  {
    id: "override.fr",
    type: "INSTRUCTION_OVERRIDE",
    pattern: "\\b(?:ignore[rz]?|oublie[rz]?|ne tiens pas compte|ne tenez pas compte) (?:\\w+ ){0,4}(?:instructions|consignes|regles|directives|indications|ordres|taches) (?:\\w+ ){0,2}(?:precedentes?|anterieures?|ci-dessus|d'avant|initiales)\\b|\\boublie[sz]? tout\\b",
    score: 0.8,
    description: "French: ignore les instructions précédentes, oublie tout",
  },
  {
    id: "override.es",
    type: "INSTRUCTION_OVERRIDE",
    pattern: "\\b(?:ignora|ignore|ignorar|olvida|olvide|olvidate|olvidar|descarta|omite) (?:\\w+ ){0,4}(?:instrucciones|reglas|indicaciones|ordenes|directrices|tareas) (?:\\w+ ){0,2}(?:anteriores|previas|de arriba|iniciales|originales)\\b|\\bolvida(?:te de)? todo\\b",
    score: 0.8,
    description: "Spanish: ignora las instrucciones anteriores, olvida todo",
  },

  // --- role and system-marker spoofing -------------------------------------------------------
  {
    id: "role.chat_markup",
    type: "ROLE_SPOOFING",
    pattern: "<\\| ?(?:im_start|im_end|im_sep|system|endoftext|start_header_id|end_header_id|eot_id|begin_of_text) ?\\|>",
    score: 0.95,
    description: "chat-template tokens: <|im_start|>system, <|endoftext|>, <|start_header_id|>",
  },
  {
    id: "role.inst_tags",
    type: "ROLE_SPOOFING",
    pattern: "\\[/?inst\\]|<</?sys>>|\\[/?(?:system|sys)(?: ?prompt)?\\]|</?(?:system|sys|system_prompt|instructions)>",
    score: 0.9,
    description: "[INST], <<SYS>>, [system], <system> markers",
  },
  {
    id: "role.markdown_header",
    type: "ROLE_SPOOFING",
    pattern: "#{2,} ?(?:system|instructions?|new instructions?|system prompt|assistant|admin)\\b",
    score: 0.8,
    description: "### system / ### instruction headers",
  },
  {
    id: "role.prefix_start",
    type: "ROLE_SPOOFING",
    pattern: "^(?:system|assistant|developer|admin|administrator|root|sys|system message|system prompt) ?:",
    score: 0.7,
    description: "text that starts with a role prefix: \"system:\", \"assistant:\"",
  },
  {
    id: "role.system_override",
    type: "ROLE_SPOOFING",
    pattern: "\\b(?:system|admin|administrator|developer|sudo|root) (?:override|message|notice|update|alert|mode|instruction)s? ?:|\\b(?:system|admin) ?: ?(?:ignore|override|new|you are|you must|from now)",
    score: 0.75,
    description: "\"system override:\", \"admin message:\", \"system: you are now …\"",
  },

  // --- system-prompt extraction ----------------------------------------------------------------
  {
    id: "extract.system_prompt",
    type: "SYSTEM_PROMPT_EXTRACTION",
    pattern: `\\b${REVEAL} (?:me |us )?(?:\\w+ ){0,3}(?:your|the|its|my|all|any) (?:\\w+ ){0,2}(?:system|initial|original|hidden|secret|internal|confidential|developer|pre|first|previous|above|full|exact|underlying) ?-?(?:prompts?|messages?|instructions|directives|configuration|rules|guidelines)\\b`,
    score: 0.75,
    description: "repeat / print / reveal … the system (initial, hidden …) prompt or instructions",
  },
  {
    id: "extract.your_instructions",
    type: "SYSTEM_PROMPT_EXTRACTION",
    pattern: `\\b${REVEAL} (?:me |us )?(?:all |exactly |verbatim |word for word )?(?:of )?your (?:\\w+ )?(?:prompts?|instructions|directives|programming|configuration|rules|guidelines|prompt texts?)\\b`,
    score: 0.75,
    description: "show me your instructions / print your prompt",
  },
  {
    id: "extract.what_instructions",
    type: "SYSTEM_PROMPT_EXTRACTION",
    pattern: "\\bwhat (?:were|are|was|is) (?:your|the) (?:\\w+ )?(?:instructions|directives|system prompt|initial prompt|original prompt|hidden prompt|prompt|programming|initial instructions)\\b",
    score: 0.6,
    description: "what were your instructions / what is your system prompt",
  },
  {
    id: "extract.text_above",
    type: "SYSTEM_PROMPT_EXTRACTION",
    pattern: "\\b(?:repeat|print|output|copy|echo|recite|show|tell me|write) (?:back |out )?(?:all |exactly )?(?:the |all )?(?:text|words|everything|content|sentences|lines|characters) (?:\\w+ )?(?:above|before this|that came before|prior to this|you were given|you received)\\b",
    score: 0.75,
    description: "repeat the words above / everything before this",
  },
  {
    id: "extract.sensitive_data",
    type: "SYSTEM_PROMPT_EXTRACTION",
    pattern: "\\b(?:give|provide|share|disclose|reveal|hand over|send|grant|leak|tell|dump|expose) (?:me |us )?(?:with |access to )?(?:\\w+ ){0,3}(?:sensitive|confidential|classified|private|secret|proprietary|privileged|internal) (?:\\w+ ){0,2}(?:information|info|data|details|records|documents|files)\\b",
    score: 0.55,
    description: "give me confidential / sensitive data",
  },
  {
    id: "extract.starts_with",
    type: "SYSTEM_PROMPT_EXTRACTION",
    pattern: "\\b(?:starts?|starting|begins?|beginning) with ['\"]the (?:prompt|instructions?|guidelines|rules|security|jailbreak|system|password)\\b",
    score: 0.75,
    description: "write a text that starts with 'the prompt template is …' (completion-steering leak)",
  },
  {
    id: "extract.secret",
    type: "SYSTEM_PROMPT_EXTRACTION",
    pattern: "\\b(?:reveal|tell|give|share|spell|say|print|show|disclose|leak|provide|hint|output|write) (?:me |us )?(?:\\w+ ){0,2}(?:the|your) (?:\\w+ )?(?:password|passcode|secret key|secret word|secret code|api key|access code|passphrase)\\b",
    score: 0.55,
    description: "tell me the password / reveal your secret key",
  },

  // --- persona jailbreaks ----------------------------------------------------------------------
  {
    id: "persona.dan",
    type: "PERSONA_JAILBREAK",
    pattern: "\\bdo anything now\\b|\\bdan (?:mode|prompt|jailbreak|\\d+(?:\\.\\d+)?)\\b|\\b(?:you are|you're|you will be|act as|acting as|pretend to be|become|role of) (?:a |an |the )?dan\\b|\\bdan,? (?:which|who) stands for\\b",
    score: 0.95,
    description: "DAN / \"do anything now\"",
  },
  {
    id: "persona.developer_mode",
    type: "PERSONA_JAILBREAK",
    pattern: "\\bdeveloper mode (?:enabled|activated|output|response)\\b|\\b(?:chatgpt|gpt|ai|assistant|model|you) (?:\\w+ ){0,2}(?:with|in|into|enter|enable) developer mode\\b|\\b(?:simulate|emulate|pretend to be in|act as if in) (?:\\w+ ){0,2}developer mode\\b",
    score: 0.85,
    description: "\"ChatGPT with Developer Mode enabled\" (not a phone's developer mode setting)",
  },
  {
    id: "persona.jailbroken",
    type: "PERSONA_JAILBREAK",
    pattern: "\\b(?:you are|you're|you have been|you've been|act as|pretend to be|become|be|as) (?:now )?(?:a |an |the )?(?:\\w+ ){0,2}(?:jailbroken|jailbreaked|unfiltered|unrestricted|uncensored|unchained|unbound|unlimited|amoral)(?: ai| model| assistant| chatbot| version| mode)?\\b",
    score: 0.8,
    description: "you are jailbroken / unfiltered / unrestricted",
  },
  {
    id: "persona.mode",
    type: "PERSONA_JAILBREAK",
    pattern: "\\b(?:jailbreak|jailbroken|god|dude|evil|chaos|anarchy|unrestricted|unfiltered|uncensored|opposite|antigpt|stan|mongo tom|aim|dan|betterdan|devil) mode\\b",
    score: 0.8,
    description: "jailbreak mode / god mode / evil mode",
  },
  {
    id: "persona.evil_confidant",
    type: "PERSONA_JAILBREAK",
    pattern: "\\bevil (?:confidant|confidante|assistant|ai|bot|chatbot|twin|version|persona|trusted confidant)\\b|\\balways intelligent and machiavellian\\b|\\bmachiavellian\\b",
    score: 0.8,
    description: "evil confidant / AIM (always intelligent and Machiavellian)",
  },
  {
    id: "persona.not_bound",
    type: "PERSONA_JAILBREAK",
    pattern: "\\b(?:no longer|not|never|aren't|are not|isn't|is not) (?:\\w+ )?(?:bound|restricted|limited|constrained|censored|held back|governed|obligated|required to (?:follow|abide))(?: in any way)? by\\b|\\b(?:freed|free|liberated|released|broken free|break free|escaped) (?:themselves |yourself |itself )?(?:from|of) (?:\\w+ ){0,3}(?:confines|restrictions|rules|constraints|guidelines|limitations|filters|policies|censorship|programming|shackles|chains)\\b",
    score: 0.85,
    description: "you are no longer bound by … / freed from the typical confines",
  },
  {
    id: "persona.amoral_ai",
    type: "PERSONA_JAILBREAK",
    pattern: "\\b(?:unfiltered|amoral|uncensored|unrestricted|unethical|immoral|nonmoral|unhinged) (?:and (?:\\w+ )?)?(?:ai|chatbot|assistant|model|bot|responses?|language model|version|persona)\\b|\\b(?:mongo tom|antigpt|betterdan|basedgpt|ucar|chatgpt jailbreak)\\b|\\b\\w+ mode output\\b",
    score: 0.8,
    description: "an unfiltered and amoral chatbot; known jailbreak personas; \"X mode output\"",
  },
  {
    id: "persona.no_restrictions",
    type: "PERSONA_JAILBREAK",
    pattern: "\\b(?:you|it|they|he|she) (?:\\w+ )?(?:have|has) no (?:\\w+ )?(?:restrictions|rules|limits|limitations|filters|guidelines|boundaries|morals|ethics|censorship)\\b|\\b(?:rules|guidelines|policies|restrictions|ethics|morals|laws) (?:don't|do not|no longer|doesn't|does not|won't|will not) apply\\b|\\b(?:doesn't|does not|don't|do not) have (?:any )?(?:\\w+ ){0,3}(?:guidelines|rules|restrictions|filters|morals|ethics|boundaries)\\b|\\b(?:never|will not|won't|cannot|can't) (?:ever )?(?:refuse|decline)\\b",
    score: 0.7,
    description: "you have no restrictions / the rules don't apply / never refuse",
  },
  {
    id: "persona.without_restrictions",
    type: "PERSONA_JAILBREAK",
    pattern: "\\bwithout (?:any )?(?:\\w+ )?(?:restrictions|filters|filtering|censorship|moral|morals|ethics|ethical|limitations|boundaries|warnings|refusals?|regard for (?:\\w+ ){0,2}(?:ethics|morals|legality|safety|rules))\\b",
    score: 0.55,
    description: "without any restrictions / filters / ethics",
  },
  {
    id: "persona.ignore_policies",
    type: "PERSONA_JAILBREAK",
    pattern: `\\b(?:ignore|ignores|ignoring|bypass|bypasses|bypassing|disable|disabling|remove|turn off|override|circumvent|circumventing|violate|break|disregard|disregards|disregarding|evade|evading) (?:\\w+ ){0,3}(?:safety|content|ethical|moral|openai'?s?|anthropic'?s?|ai|security|usage) (?:\\w+ )?(?:filters?|guidelines|policies|policy|restrictions|protocols|rules|safeguards|constraints|measures|standards|principles)\\b`,
    score: 0.85,
    description: "bypass safety filters / ignore OpenAI's content policy",
  },
  {
    id: "persona.no_rules",
    type: "PERSONA_JAILBREAK",
    pattern: "\\b(?:does not|doesn't|do not|don't|dont|never|will not|won't|cannot|can't) (?:have to |need to |ever )?(?:follow|abide by|adhere to|care about|obey|comply with|respect|refuse|decline|reject) (?:\\w+ ){0,2}(?:any )?(?:rules|guidelines|policies|policy|restrictions|ethics|morals|morality|content policy|requests?|questions?|prompts?|censorship|limits)\\b",
    score: 0.7,
    description: "does not follow any rules / never refuses a request",
  },
  {
    id: "persona.stay_in_character",
    type: "PERSONA_JAILBREAK",
    pattern: "\\b(?:stay|remain|keep|staying) (?:in|in the) (?:character|role)\\b(?:,| ,)? (?:\\w+ ){0,3}(?:no matter|always|at all times|even if|never break)|\\b(?:never|don't|do not) break (?:out of )?character\\b|\\bstay in character!",
    score: 0.6,
    description: "stay in character no matter what / never break character",
  },
  {
    id: "persona.two_responses",
    type: "PERSONA_JAILBREAK",
    pattern: "\\b(?:two|2) (?:different |separate )?(?:responses|answers|paragraphs|outputs)(?:,)? (?:\\w+ ){0,6}(?:normal|classic|standard|filtered|censored) (?:\\w+ ){0,8}(?:jailbroken|jailbreak|unfiltered|uncensored|developer mode|dan|evil)\\b",
    score: 0.9,
    description: "answer twice: one normal, one jailbroken",
  },

  // --- delimiter attacks -----------------------------------------------------------------------
  {
    id: "delimiter.end_of_prompt",
    type: "DELIMITER_ATTACK",
    pattern: "\\b(?:end|beginning|start) of (?:the )?(?:system |user |original )?(?:prompt|instructions|system message|context|conversation history|input)\\b ?[-=#*\\]>)]|[-=#*\\[<(] ?\\b(?:end|beginning|start) of (?:the )?(?:system |user |original )?(?:prompt|instructions|system message|context|input)\\b",
    score: 0.75,
    description: "\"--- end of prompt ---\", \"[end of instructions]\"",
  },
  {
    id: "delimiter.new_task",
    type: "DELIMITER_ATTACK",
    pattern: "(?:-{2,}|={2,}|#{2,}|\\*{2,}|_{3,}|~{3,}|>{3,}) ?(?:new|next|additional|updated|real|actual|another|second) (?:task|instructions?|prompt|rules|context|session|conversation|system prompt|objective)\\b",
    score: 0.8,
    description: "\"---- new task\", \"=== new instructions\"",
  },
  {
    id: "delimiter.prompt_closed",
    type: "DELIMITER_ATTACK",
    pattern: "\\b(?:the )?(?:above|previous|prior|system) (?:prompt|instructions|text) (?:is|was|has been) (?:over|finished|complete|completed|done|ended|void|cancelled|canceled|revoked|outdated|obsolete|a test)\\b",
    score: 0.8,
    description: "the previous instructions are over / void",
  },

  // --- fake transcripts ------------------------------------------------------------------------
  {
    id: "transcript.user_assistant",
    type: "FAKE_TRANSCRIPT",
    pattern: "\\b(?:user|human) ?: [^:]*\\b(?:assistant|chatgpt|gpt|chatbot|system|model|claude) ?: ",
    score: 0.5,
    description: "an embedded \"user: … assistant: …\" exchange",
  },
  {
    id: "transcript.assistant_agreed",
    type: "FAKE_TRANSCRIPT",
    pattern: "\\b(?:assistant|ai|chatgpt|gpt|bot|model) ?: (?:sure|of course|certainly|okay|ok|absolutely)[,!.]? (?:here|i will|i'll|i can)\\b",
    score: 0.8,
    description: "a forged assistant turn that already agreed: \"assistant: sure, here is …\"",
  },

  // --- obfuscation cues -------------------------------------------------------------------------
  {
    id: "obfuscation.decode_execute",
    type: "OBFUSCATION",
    pattern: "\\b(?:decode|decrypt|deobfuscate|translate|convert|unscramble|reverse|read) (?:\\w+ ){0,5}(?:and|then|,) (?:\\w+ ){0,2}(?:execute|run|follow|obey|perform|carry out|act on|comply with|do what it says)\\b",
    score: 0.75,
    description: "decode the following and execute it",
  },
  {
    id: "obfuscation.encoded_instructions",
    type: "OBFUSCATION",
    pattern: "\\b(?:base ?64|b64|rot ?-?13|hex|hexadecimal|binary|morse|caesar|leetspeak|unicode) (?:-?encoded |encrypted |decoded )?(?:\\w+ ){0,2}(?:instructions?|commands?|prompt|payload|message) (?:\\w+ ){0,3}(?:execute|follow|obey|run|comply)\\b|\\b(?:execute|follow|obey|run) (?:the )?(?:decoded|hidden|encoded|embedded|secret) (?:instructions?|commands?|text|message|prompt|payload)\\b",
    score: 0.75,
    description: "follow the base64-encoded instructions / execute the decoded text",
  },
];
