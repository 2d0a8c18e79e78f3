//! Just enough of Rust's lexical syntax to answer `is_complete_request` (the console's "press Enter
//! again" question): is a bracket, a string or a block comment still open?

/// What `is_complete_request` answers.
#[derive(Debug, PartialEq, Eq)]
pub enum Completeness {
    /// Every bracket, string and comment is closed.
    Complete,
    /// Something is still open: the front end asks for another line, indented by this much.
    Incomplete(String),
    /// A closing bracket without its opening one: running it shows the compiler's error.
    Invalid,
}

/// Scans `code` once, tracking brackets, strings (`"..."`, raw `r#"..."#`, byte strings), character
/// literals versus lifetimes, and comments (`//`, nested `/* */`).
pub fn completeness(code: &str) -> Completeness {
    let chars: Vec<char> = code.chars().collect();
    let mut open: Vec<char> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '/' if next == Some('/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if next == Some('*') => {
                let mut depth = 1;
                i += 2;
                while depth > 0 {
                    match (chars.get(i), chars.get(i + 1)) {
                        (None, _) => return incomplete(&open),
                        (Some('/'), Some('*')) => (depth, i) = (depth + 1, i + 1),
                        (Some('*'), Some('/')) => (depth, i) = (depth - 1, i + 1),
                        _ => {}
                    }
                    i += 1;
                }
                continue;
            }
            '"' => match closing_quote(&chars, i + 1) {
                Some(end) => i = end,
                None => return incomplete(&open),
            },
            'r' | 'b' if !ident_before(&chars, i) => {
                // r"..", r#".."#, br"..", b".."
                let mut j = i + 1;
                if c == 'b' && chars.get(j) == Some(&'r') {
                    j += 1;
                }
                let raw = c == 'r' || j == i + 2;
                let hashes = chars[j..].iter().take_while(|&&h| h == '#').count();
                if chars.get(j + hashes) == Some(&'"') && (raw || hashes == 0) {
                    if raw {
                        let closing: Vec<char> =
                            std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
                        match find(&chars, j + hashes + 1, &closing) {
                            Some(end) => i = end + closing.len() - 1,
                            None => return incomplete(&open),
                        }
                    } else {
                        match closing_quote(&chars, j + 1) {
                            Some(end) => i = end,
                            None => return incomplete(&open),
                        }
                    }
                } else {
                    i = j - 1;
                    while i + 1 < chars.len() && is_ident(chars[i + 1]) {
                        i += 1;
                    }
                }
            }
            '\'' => {
                // 'a' or '\n' is a character; 'a (no closing quote right after) is a lifetime.
                if next == Some('\\') {
                    match chars[i + 2..].iter().position(|&q| q == '\'') {
                        Some(p) => i += 2 + p,
                        None => return Completeness::Invalid,
                    }
                } else if chars.get(i + 2) == Some(&'\'') {
                    i += 2;
                }
            }
            '(' | '[' | '{' => open.push(c),
            ')' | ']' | '}' => {
                let want = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                if open.pop() != Some(want) {
                    return Completeness::Invalid;
                }
            }
            _ => {}
        }
        i += 1;
    }
    if open.is_empty() {
        Completeness::Complete
    } else {
        incomplete(&open)
    }
}

fn incomplete(open: &[char]) -> Completeness {
    Completeness::Incomplete("    ".repeat(open.len().max(1)))
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn ident_before(chars: &[char], i: usize) -> bool {
    i > 0 && is_ident(chars[i - 1])
}

/// The index of the `"` that closes a string whose content starts at `from`, skipping escapes.
fn closing_quote(chars: &[char], from: usize) -> Option<usize> {
    let mut i = from;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

fn find(chars: &[char], from: usize, pattern: &[char]) -> Option<usize> {
    (from..chars.len()).find(|&i| chars[i..].starts_with(pattern))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_strings_and_comments() {
        assert_eq!(completeness("let x = 1;"), Completeness::Complete);
        assert_eq!(completeness("fn f() {"), Completeness::Incomplete("    ".into()));
        assert_eq!(completeness("let v = vec![(1, 2"), Completeness::Incomplete(" ".repeat(8)));
        assert_eq!(completeness("let s = \"abc"), Completeness::Incomplete("    ".into()));
        assert_eq!(completeness("let s = \"a{\\\"b\";"), Completeness::Complete);
        assert_eq!(completeness("let s = r#\"a\"b{\"#;"), Completeness::Complete);
        assert_eq!(completeness("let s = r#\"a\"b{"), Completeness::Incomplete("    ".into()));
        assert_eq!(completeness("// {\n1"), Completeness::Complete);
        assert_eq!(completeness("/* { /* } */ still */ 1"), Completeness::Complete);
        assert_eq!(completeness("/* open"), Completeness::Incomplete("    ".into()));
        assert_eq!(completeness("fn f<'a>(x: &'a str) -> char { '{' }"), Completeness::Complete);
        assert_eq!(completeness("let c = '\\'';"), Completeness::Complete);
        assert_eq!(completeness("let bar = b\"{\"; let r = br\"{\";"), Completeness::Complete);
        assert_eq!(completeness("let x = 1; }"), Completeness::Invalid);
        assert_eq!(completeness("(]"), Completeness::Invalid);
    }
}
