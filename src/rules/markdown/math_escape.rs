//! ## What it does
//! Reports a LaTeX command inside math (`$...$`, `$$...$$`) whose backslash was
//! lost, as happens when text passes through a tool that drops backslashes or
//! reads `\t`, `\b`, `\f`, `\n`, `\r`, `\a` and `\v` as escape sequences. It
//! looks only inside formulas, never at prose or code, and finds:
//!
//! - command names written bare: `sqrt{L}`, `frac{1}{2}`, `mathbb{R}`,
//!   `text{sign}`, `left(`, `times`, `cdot`, `alpha`, `nabla`, `approx`,
//!   `tanh`, `sum_{t}` ...;
//! - what an eaten escape leaves behind: `imes`, `ext{`, `anh` (`\t`), `eta`,
//!   `ar{` (`\b`), `rac` (`\f`), `abla`, `eq` (`\n`), `ight`, `ho` (`\r`),
//!   `lpha`, `pprox` (`\a`), also when the escape became a real line break or
//!   tab before the word;
//! - run-together commands such as `lnfrac`.
//!
//! A formula whose `\n` became a line break right after its opening `$`
//! (`Compute $` at a line's end, `abla_x a(x)$` on the next) is no math to
//! CommonMark; it is still checked, from that `$` to the next `$` on the
//! following line.
//!
//! A word counts only as a whole: letters before or after it, or a backslash
//! before it, and it is not a finding. Short words that are often variable
//! names (`in`, `log`, `max` ...) are only reported where they stand as a
//! command would, and never in a subscript or inside `\text{...}`.
//!
//! The fix restores the backslash. It is safe where the command is certain
//! (`sqrt{` -> `\sqrt{`, `imes` -> `\times`); where it is a guess (`eta` may be
//! `\eta` or `\beta`; `in` may be the word "in") the help names the candidates
//! and the fix is unsafe.
//!
//! ## Why is this bad?
//! Without its backslash a command renders as italic letters: `$8 imes$`
//! shows "8 imes", `$eta_2$` shows "eta₂" where β₂ was meant, and `sqrt{L}`
//! prints the braces.
//!
//! ## Example
//! ```text
//! Memory drops from $O(L)$ to $O(sqrt{L})$, about a $10 imes$ reduction.
//! ```
//!
//! Use instead:
//! ```text
//! Memory drops from $O(L)$ to $O(\sqrt{L})$, about a $10 \times$ reduction.
//! ```
//!
//! ## Options
//! None.

use std::ops::Range;

use crate::rules::prelude::*;

/// See the module documentation.
pub struct MathEscape;

static META: RuleMeta = RuleMeta {
    id: "math-escape",
    family: Family::Markdown,
    default_level: Level::Error,
    fix: FixKind::Sometimes,
    options: &[],
    source: include_str!("math_escape.rs"),
};

impl Rule for MathEscape {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_entry(&self, cx: &EntryContext<'_>, sink: &mut Sink<'_>) {
        let text = cx.file.text;
        for (range, display) in cx.entry.body.math() {
            let delimiter = if display { 2 } else { 1 };
            let start = range.start + delimiter;
            let end = range.end.saturating_sub(delimiter);
            let Some(content) = text.get(start..end.max(start)) else {
                continue;
            };
            report(sink, scan(content, start));
        }
        for content in split_formulas(cx) {
            if let Some(formula) = text.get(content.clone()) {
                report(sink, scan(formula, content.start));
            }
        }
    }
}

fn report(sink: &mut Sink<'_>, findings: Vec<Finding>) {
    for finding in findings {
        let diagnostic = sink.report(finding.span, finding.message);
        diagnostic.help(finding.help);
        if let Some((applicability, edits)) = finding.fix {
            diagnostic.fix(applicability, edits);
        }
    }
}

/// The contents of formulas that a line break split right after their
/// opening `$`: a line ending in a lone `$` that opens (an even number of
/// `$` before it on the line), outside code, math and HTML, up to the first
/// `$` of the next line.
fn split_formulas(cx: &EntryContext<'_>) -> Vec<Range<usize>> {
    let text = cx.file.text;
    let body = &cx.entry.body;
    // The model's code, math and HTML: a `$` there opens no formula.
    let covered = body.non_prose();
    let is_dollar = |offset: usize| {
        text.as_bytes().get(offset) == Some(&b'$')
            && (offset == 0 || text.as_bytes()[offset - 1] != b'\\')
            && !covered.contains(offset)
    };
    let lines: Vec<Range<usize>> = body.lines().collect();
    let mut found = Vec::new();
    for (at, line) in lines.iter().enumerate() {
        let Some(content) = text.get(line.clone()) else {
            continue;
        };
        let Some(opening) = content
            .strip_suffix('$')
            .filter(|before| !before.ends_with('$') && !before.ends_with('\\'))
            .map(|before| line.start + before.len())
        else {
            continue;
        };
        if covered.contains(opening) {
            continue;
        }
        let dollars_before = (line.start..opening)
            .filter(|&offset| is_dollar(offset))
            .count();
        let Some(next) = lines.get(at + 1) else {
            continue;
        };
        let closing = next.clone().find(|&offset| is_dollar(offset));
        if let (0, Some(closing)) = (dollars_before % 2, closing) {
            found.push(opening + 1..closing);
        }
    }
    found
}

/// One damaged command.
#[derive(Debug)]
pub(crate) struct Finding {
    pub(crate) span: Range<usize>,
    pub(crate) message: String,
    pub(crate) help: String,
    pub(crate) fix: Option<(Applicability, Vec<Edit>)>,
}

/// Commands that take a braced argument: certain when `{` follows.
const ARGUMENT_COMMANDS: &[&str] = &[
    "sqrt",
    "frac",
    "dfrac",
    "tfrac",
    "binom",
    "mathbb",
    "mathbf",
    "mathrm",
    "mathcal",
    "mathit",
    "mathsf",
    "mathfrak",
    "text",
    "textbf",
    "textit",
    "textrm",
    "operatorname",
    "hat",
    "bar",
    "vec",
    "tilde",
    "overline",
    "underline",
    "boldsymbol",
    "widehat",
    "widetilde",
    "dot",
    "ddot",
    "begin",
    "end",
];

/// Commands whose braced argument is text, not math: its words are skipped.
const TEXT_COMMANDS: &[&str] = &[
    "text",
    "textbf",
    "textit",
    "textrm",
    "mathrm",
    "operatorname",
    "mbox",
    "begin",
    "end",
    "label",
    "ext",
    "extbf",
    "extit",
    "egin",
];

/// Delimiter sizing: certain when a delimiter follows.
const DELIMITER_COMMANDS: &[&str] = &["left", "right", "bigl", "bigr", "Bigl", "Bigr"];

/// Command names that are never anything else inside math.
const CERTAIN_WORDS: &[&str] = &[
    "times",
    "cdot",
    "cdots",
    "ldots",
    "vdots",
    "ddots",
    "approx",
    "infty",
    "partial",
    "nabla",
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "varepsilon",
    "zeta",
    "theta",
    "vartheta",
    "iota",
    "kappa",
    "lambda",
    "sigma",
    "varsigma",
    "upsilon",
    "varphi",
    "omega",
    "rho",
    "tau",
    "phi",
    "psi",
    "chi",
    "Gamma",
    "Delta",
    "Theta",
    "Lambda",
    "Sigma",
    "Upsilon",
    "Omega",
    "Phi",
    "Psi",
    "leftarrow",
    "rightarrow",
    "Leftarrow",
    "Rightarrow",
    "leftrightarrow",
    "Leftrightarrow",
    "longrightarrow",
    "longleftarrow",
    "mapsto",
    "forall",
    "exists",
    "propto",
    "otimes",
    "oplus",
    "odot",
    "subseteq",
    "supseteq",
    "subset",
    "supset",
    "notin",
    "leq",
    "geq",
    "neq",
    "equiv",
    "simeq",
    "tanh",
    "sinh",
    "cosh",
    "argmax",
    "argmin",
    "hbar",
    "langle",
    "rangle",
    "lfloor",
    "rfloor",
    "lceil",
    "rceil",
    "emptyset",
    "varnothing",
    "sqrt",
    "frac",
    "mathbb",
    "mathcal",
    "overline",
    "boldsymbol",
    "operatorname",
];

/// Big operators: certain when a limit (`_` or `^`) follows, a guess otherwise.
const OPERATOR_WORDS: &[&str] = &["sum", "prod", "int", "oint", "lim", "max", "min", "sup"];

/// Function names and short symbols that may also be variable names: always a
/// guess, and only where they stand apart.
const GUESS_WORDS: &[&str] = &[
    "log", "ln", "exp", "sin", "cos", "tan", "det", "arg", "inf", "mu", "nu", "xi", "pi", "sim",
    "pm", "mp", "in", "to", "le", "ge", "mid", "cap", "cup", "circ", "neg", "star", "ast",
];

/// Words only reported with spaces on both sides (`x in S`).
const SPACED_WORDS: &[&str] = &["in", "to", "le", "ge", "pm", "mp", "mid", "cap", "cup"];

/// What an eaten escape leaves: (fragment, escape letter, command, certain,
/// needs a `{` after it).
const TRUNCATIONS: &[(&str, char, &str, bool, bool)] = &[
    ("ext", 't', "text", true, true),
    ("extbf", 't', "textbf", true, true),
    ("extit", 't', "textit", true, true),
    ("imes", 't', "times", true, false),
    ("anh", 't', "tanh", true, false),
    ("heta", 't', "theta", true, false),
    ("ilde", 't', "tilde", true, true),
    ("riangle", 't', "triangle", true, false),
    ("au", 't', "tau", false, false),
    ("eta", 'b', "beta", false, false),
    ("ar", 'b', "bar", true, true),
    ("oldsymbol", 'b', "boldsymbol", true, false),
    ("inom", 'b', "binom", true, false),
    ("egin", 'b', "begin", true, true),
    ("igl", 'b', "bigl", true, false),
    ("igr", 'b', "bigr", true, false),
    ("rac", 'f', "frac", true, false),
    ("orall", 'f', "forall", true, false),
    ("abla", 'n', "nabla", true, false),
    ("eq", 'n', "neq", false, false),
    ("otin", 'n', "notin", true, false),
    ("eg", 'n', "neg", false, false),
    ("ight", 'r', "right", true, false),
    ("ightarrow", 'r', "rightarrow", true, false),
    ("ho", 'r', "rho", false, false),
    ("angle", 'r', "rangle", false, false),
    ("lpha", 'a', "alpha", true, false),
    ("pprox", 'a', "approx", true, false),
    ("arepsilon", 'v', "varepsilon", true, false),
    ("arphi", 'v', "varphi", true, false),
    ("artheta", 'v', "vartheta", true, false),
    ("ec", 'v', "vec", true, true),
];

/// The control character an escape letter turns into.
fn control_char(letter: char) -> char {
    match letter {
        't' => '\t',
        'b' => '\u{8}',
        'f' => '\u{c}',
        'n' => '\n',
        'r' => '\r',
        'a' => '\u{7}',
        _ => '\u{b}',
    }
}

/// Scans math `content` that starts at file offset `base`.
pub(crate) fn scan(content: &str, base: usize) -> Vec<Finding> {
    let chars: Vec<(usize, char)> = content.char_indices().collect();
    let mut findings = Vec::new();
    let mut index = 0;
    while index < chars.len() {
        let (start, ch) = chars[index];
        if !ch.is_ascii_alphabetic() {
            index += 1;
            continue;
        }
        let mut next_index = index;
        while next_index < chars.len() && chars[next_index].1.is_ascii_alphabetic() {
            next_index += 1;
        }
        let end = chars.get(next_index).map_or(content.len(), |&(at, _)| at);
        let word = &content[start..end];
        let previous = index.checked_sub(1).map(|at| chars[at]);
        let next = chars.get(next_index).map(|&(_, ch)| ch);
        index = next_index;
        if previous.is_some_and(|(_, ch)| ch.is_alphabetic()) {
            continue;
        }
        let escaped = previous.is_some_and(|(_, ch)| ch == '\\');
        if !escaped {
            let context = Context {
                chars: &chars,
                word_index: next_index - word.chars().count(),
                start,
                end,
                next,
                previous: previous.map(|(_, ch)| ch),
                previous_at: previous.map(|(at, _)| at),
                base,
            };
            findings.extend(classify(word, &context));
        }
        if TEXT_COMMANDS.contains(&word) && next == Some('{') {
            index = skip_group(&chars, index);
        }
    }
    findings
}

/// Index just past the `}` matching the `{` at `chars[open]`.
fn skip_group(chars: &[(usize, char)], open: usize) -> usize {
    let mut depth = 0usize;
    let mut index = open;
    while index < chars.len() {
        match chars[index].1 {
            '\\' => index += 1,
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return index + 1;
                }
            }
            _ => {}
        }
        index += 1;
    }
    chars.len()
}

struct Context<'a> {
    chars: &'a [(usize, char)],
    word_index: usize,
    start: usize,
    end: usize,
    next: Option<char>,
    previous: Option<char>,
    previous_at: Option<usize>,
    base: usize,
}

impl Context<'_> {
    fn span(&self) -> Range<usize> {
        self.base + self.start..self.base + self.end
    }

    /// Whether the word is a subscript or superscript (`x_{in}`, `W^T`).
    fn in_script(&self) -> bool {
        let before = |back: usize| {
            self.word_index
                .checked_sub(back)
                .and_then(|at| self.chars.get(at))
                .map(|&(_, ch)| ch)
        };
        matches!(before(1), Some('_' | '^'))
            || (before(1) == Some('{') && matches!(before(2), Some('_' | '^')))
    }

    /// Whether the word follows the character its eaten escape `\{letter}`
    /// became (a line break also stands for `\r`).
    fn after_control(&self, letter: char) -> bool {
        let control = control_char(letter);
        self.previous == Some(control) || (letter == 'r' && self.previous == Some('\n'))
    }

    /// Where that character starts, a `\r\n` pair taken whole.
    fn control_start(&self) -> Option<usize> {
        let at = self.previous_at?;
        let pair = self.previous == Some('\n')
            && self
                .word_index
                .checked_sub(2)
                .and_then(|index| self.chars.get(index))
                .is_some_and(|&(_, ch)| ch == '\r');
        Some(if pair { at - 1 } else { at })
    }

    fn spaced(&self) -> bool {
        self.previous.is_some_and(char::is_whitespace) && self.next.is_some_and(char::is_whitespace)
    }

    /// A command name may stand here: followed by nothing, space, a
    /// delimiter, a script or another command.
    fn stands_apart(&self) -> bool {
        self.next.is_none_or(|ch| {
            ch.is_whitespace() || matches!(ch, '(' | '[' | '{' | '_' | '^' | '\\' | ')' | ',')
        })
    }
}

fn insert_backslash(cx: &Context<'_>, letters: &str) -> Vec<Edit> {
    let at = cx.base + cx.start;
    vec![Edit {
        span: at..at,
        replacement: format!("\\{letters}").into(),
    }]
}

fn bare(cx: &Context<'_>, word: &str, applicability: Applicability) -> Finding {
    let help = match applicability {
        Applicability::Safe => format!("write `\\{word}`"),
        Applicability::Unsafe => {
            format!("if this is the LaTeX command, write `\\{word}`; if it is a name, write `\\text{{{word}}}`")
        }
    };
    Finding {
        span: cx.span(),
        message: format!("`{word}` in math looks like `\\{word}` without its backslash"),
        help,
        fix: Some((applicability, insert_backslash(cx, ""))),
    }
}

fn classify(word: &str, cx: &Context<'_>) -> Option<Finding> {
    let script = cx.in_script();
    let next = cx.next;

    // An eaten escape: the fragment after the escape letter.
    if let Some(&(fragment, letter, command, certain, needs_brace)) =
        TRUNCATIONS.iter().find(|(fragment, ..)| *fragment == word)
    {
        let after_control = cx.after_control(letter);
        if fragment == "eta" && !after_control {
            // `\eta` or an eaten `\beta`: decided below
            return eta(cx);
        }
        let applies = after_control || (!needs_brace || next == Some('{'));
        if applies && !(script && !after_control && fragment.len() <= 3) {
            return Some(truncation(
                cx,
                fragment,
                letter,
                command,
                certain || after_control,
            ));
        }
    }

    if ARGUMENT_COMMANDS.contains(&word) && matches!(next, Some('{' | '[')) {
        return Some(bare(cx, word, Applicability::Safe));
    }
    if DELIMITER_COMMANDS.contains(&word)
        && matches!(
            next,
            Some('(' | '[' | '|' | '.' | '\\' | '<' | '>' | ')' | ']')
        )
    {
        return Some(bare(cx, word, Applicability::Safe));
    }
    command_word(word, cx, script)
}

fn eta(cx: &Context<'_>) -> Option<Finding> {
    let next = cx.next;
    if cx.stands_apart() {
        let beta_likely = next == Some('_')
            && cx
                .chars
                .get(cx.word_index + 4)
                .is_some_and(|&(_, ch)| ch.is_ascii_digit() || ch == '{');
        let guess = if beta_likely { "beta" } else { "eta" };
        let edit = if beta_likely {
            insert_backslash(cx, "b")
        } else {
            insert_backslash(cx, "")
        };
        return Some(Finding {
            span: cx.span(),
            message: "`eta` in math looks like `\\eta` or `\\beta` without its backslash"
                .to_string(),
            help: format!(
                "write `\\beta` (a `\\b` read as an escape leaves `eta`) or `\\eta`; the fix guesses `\\{guess}`"
            ),
            fix: Some((Applicability::Unsafe, edit)),
        });
    }
    None
}

fn command_word(word: &str, cx: &Context<'_>, script: bool) -> Option<Finding> {
    let next = cx.next;
    if CERTAIN_WORDS.contains(&word) {
        if script && word.len() <= 3 {
            return None;
        }
        return Some(bare(cx, word, Applicability::Safe));
    }
    if OPERATOR_WORDS.contains(&word) && !script {
        if matches!(next, Some('_' | '^')) {
            return Some(bare(cx, word, Applicability::Safe));
        }
        if cx.stands_apart() && !matches!(next, Some('(')) {
            return Some(bare(cx, word, Applicability::Unsafe));
        }
        return None;
    }
    if GUESS_WORDS.contains(&word) && !script {
        let stands = if SPACED_WORDS.contains(&word) {
            cx.spaced()
        } else if word == "sim" {
            next.is_some_and(|ch| ch.is_whitespace() || ch.is_ascii_digit())
        } else {
            cx.stands_apart()
        };
        if stands {
            return Some(bare(cx, word, Applicability::Unsafe));
        }
        return None;
    }
    if !script {
        return compound(word, cx);
    }
    None
}

fn truncation(
    cx: &Context<'_>,
    fragment: &str,
    letter: char,
    command: &str,
    certain: bool,
) -> Finding {
    let (span, edit_span) = match (cx.after_control(letter), cx.control_start()) {
        (true, Some(at)) => {
            let at = cx.base + at;
            (cx.span(), at..cx.base + cx.start)
        }
        _ => {
            let at = cx.base + cx.start;
            (cx.span(), at..at)
        }
    };
    let edits = vec![Edit {
        span: edit_span,
        replacement: format!("\\{letter}").into(),
    }];
    let shown = fragment;
    if certain {
        Finding {
            span,
            message: format!(
                "`{shown}` in math looks like `\\{command}` whose `\\{letter}` was read as an escape"
            ),
            help: format!("write `\\{command}`"),
            fix: Some((Applicability::Safe, edits)),
        }
    } else {
        let other = if fragment == "eta" {
            " or `\\eta`".to_string()
        } else if fragment == "angle" {
            " or `\\angle`".to_string()
        } else {
            String::new()
        };
        Finding {
            span,
            message: format!(
                "`{shown}` in math may be `\\{command}` whose `\\{letter}` was read as an escape"
            ),
            help: format!("if so, write `\\{command}`{other}"),
            fix: Some((Applicability::Unsafe, edits)),
        }
    }
}

/// Commands run together without backslashes (`lnfrac`): every part a
/// command name of two letters or more.
fn compound(word: &str, cx: &Context<'_>) -> Option<Finding> {
    let parts = split_commands(word)?;
    if parts.len() < 2 {
        return None;
    }
    let mut edits = Vec::new();
    let mut offset = cx.base + cx.start;
    let mut written = String::new();
    for part in &parts {
        edits.push(Edit {
            span: offset..offset,
            replacement: "\\".into(),
        });
        offset += part.len();
        written.push('\\');
        written.push_str(part);
    }
    Some(Finding {
        span: cx.span(),
        message: format!("`{word}` in math looks like `{written}` without backslashes"),
        help: format!("write `{written}`"),
        fix: Some((Applicability::Unsafe, edits)),
    })
}

fn split_commands(word: &str) -> Option<Vec<&str>> {
    if word.is_empty() {
        return Some(Vec::new());
    }
    let known = |part: &str| {
        part.len() >= 2
            && !SPACED_WORDS.contains(&part)
            && (CERTAIN_WORDS.contains(&part)
                || OPERATOR_WORDS.contains(&part)
                || GUESS_WORDS.contains(&part)
                || ARGUMENT_COMMANDS.contains(&part)
                || DELIMITER_COMMANDS.contains(&part))
    };
    for cut in (2..=word.len()).rev() {
        let Some(head) = word.get(..cut) else {
            continue;
        };
        if known(head) {
            if let Some(mut rest) = word.get(cut..).and_then(split_commands) {
                rest.insert(0, head);
                return Some(rest);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(content: &str) -> Vec<(String, Option<Applicability>)> {
        scan(content, 0)
            .into_iter()
            .map(|finding| {
                (
                    content[finding.span].to_string(),
                    finding.fix.map(|(applicability, _)| applicability),
                )
            })
            .collect()
    }

    fn fixed(content: &str) -> String {
        let mut edits: Vec<Edit> = scan(content, 0)
            .into_iter()
            .flat_map(|finding| finding.fix.map(|(_, edits)| edits).unwrap_or_default())
            .collect();
        edits.sort_by_key(|edit| std::cmp::Reverse(edit.span.start));
        let mut out = content.to_string();
        for edit in edits {
            out.replace_range(edit.span, &edit.replacement);
        }
        out
    }

    #[test]
    fn correct_math_is_clean() {
        for math in [
            "\\sigma(x)",
            "\\tanh(x)",
            "x \\cdot \\tanh(\\text{softplus}(x))",
            "GELU(x) = x \\cdot \\Phi(x) \\approx 0.5x",
            "O(mn)",
            "W_{in} x + b_{out}",
            "\\text{if } x \\in S",
            "20,000-",
            "top-k",
            "sim(q, d)",
            "\\max(0, x)",
            "\\mathbb{R}^{m \\times n}",
        ] {
            assert!(found(math).is_empty(), "{math}: {:?}", found(math));
        }
    }

    #[test]
    fn lost_backslashes_are_found() {
        assert_eq!(fixed("O(sqrt{L})"), "O(\\sqrt{L})");
        assert_eq!(fixed("10 imes"), "10 \\times");
        assert_eq!(fixed("ext{sign}left(x"), "\\text{sign}\\left(x");
        assert_eq!(
            fixed("v_{ij} approx r_i cdot c_j / ar{r}"),
            "v_{ij} \\approx r_i \\cdot c_j / \\bar{r}"
        );
        assert_eq!(fixed("x + eta\nabla_x"), "x + \\eta\\nabla_x");
        assert_eq!(fixed("v_t = eta_2 v"), "v_t = \\beta_2 v");
        assert_eq!(
            fixed("frac{1}{2}lnfrac{1}{e}"),
            "\\frac{1}{2}\\ln\\frac{1}{e}"
        );
        assert_eq!(fixed("W in mathbb{R}"), "W \\in \\mathbb{R}");
        assert_eq!(fixed("a\times b"), "a\\times b");
        assert_eq!(fixed("h(x)\r\night)"), "h(x)\\right)");
        assert_eq!(fixed("h(x)\night)"), "h(x)\\right)");
    }

    #[test]
    fn guesses_are_unsafe() {
        assert_eq!(
            found("x in S"),
            [("in".to_string(), Some(Applicability::Unsafe))]
        );
        assert_eq!(
            found("eta_2"),
            [("eta".to_string(), Some(Applicability::Unsafe))]
        );
        assert_eq!(
            found("imes"),
            [("imes".to_string(), Some(Applicability::Safe))]
        );
    }
}
