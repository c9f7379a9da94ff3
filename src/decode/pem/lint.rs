//! PEM text defects named by line (RFC 7468): armour lines with the wrong
//! number of dashes, an END label that is not its BEGIN's, characters that
//! are not base64, body lines whose length breaks the 64-character rhythm.
//! Messages say where and what kind, never quote the text.

/// The line width RFC 7468 (section 2) has generators wrap the base64 at.
const WIDTH: usize = 64;

/// An armour line: `-----BEGIN LABEL-----` or `-----END LABEL-----`, with
/// however many dashes it really has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Armour<'t> {
    /// 1-based line number.
    pub(super) line: usize,
    pub(super) begin: bool,
    pub(super) label: &'t [u8],
    dashes_before: usize,
    dashes_after: usize,
}

impl Armour<'_> {
    fn word(&self) -> &'static str {
        if self.begin {
            "BEGIN"
        } else {
            "END"
        }
    }

    /// The line's dash defect, if it has one.
    fn dash_defect(&self) -> Option<String> {
        let word = self.word();
        match (self.dashes_before, self.dashes_after) {
            (5, 5) => None,
            (b, 5) => Some(format!(
                "line {}: the {word} line has {b} dashes before {word}, PEM armour has 5",
                self.line
            )),
            (5, a) => Some(format!(
                "line {}: the {word} line has {a} dashes after its label, PEM armour has 5",
                self.line
            )),
            (b, a) => Some(format!(
                "line {}: the {word} line has {b} dashes before {word} and {a} after its label, PEM armour has 5 \
                 on each side",
                self.line
            )),
        }
    }
}

/// The text's lines, without line ends and trailing blanks.
fn lines(text: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    text.split(|&b| b == b'\n')
        .map(<[u8]>::trim_ascii_end)
        .enumerate()
        .map(|(i, line)| (i + 1, line))
}

/// Reads `line` as an armour line, whatever its dash count.
fn armour(number: usize, line: &[u8]) -> Option<Armour<'_>> {
    let dashes_before = line.iter().take_while(|&&b| b == b'-').count();
    let rest = line.get(dashes_before..)?;
    let (begin, rest) = match (rest.strip_prefix(b"BEGIN "), rest.strip_prefix(b"END ")) {
        (Some(rest), _) => (true, rest),
        (None, Some(rest)) => (false, rest),
        (None, None) => return None,
    };
    if dashes_before == 0 {
        return None;
    }
    let dashes_after = rest.iter().rev().take_while(|&&b| b == b'-').count();
    let label = rest.get(..rest.len() - dashes_after)?;
    Some(Armour {
        line: number,
        begin,
        label,
        dashes_before,
        dashes_after,
    })
}

/// Whether `text` has a line that reads as PEM armour, even with the wrong
/// number of dashes.
pub(in crate::decode) fn has_armour(text: &[u8]) -> bool {
    lines(text).any(|(n, line)| armour(n, line).is_some_and(|a| a.begin))
}

/// A block as its armour lines delimit it.
pub(super) struct Block<'t> {
    pub(super) begin: Armour<'t>,
    /// The END line, when there is one.
    pub(super) end: Option<Armour<'t>>,
    /// The body lines (number, text), between the armour lines.
    pub(super) body: Vec<(usize, &'t [u8])>,
}

impl Block<'_> {
    /// Whether its BEGIN or END line is broken, or missing.
    pub(super) fn armour_defective(&self) -> bool {
        self.begin.dash_defect().is_some()
            || self
                .end
                .as_ref()
                .is_none_or(|end| end.dash_defect().is_some() || end.label != self.begin.label)
    }
}

/// Every block of `text` by its armour lines, and the armour defects: dash
/// counts, END labels that are not their BEGIN's, END lines without BEGIN.
pub(super) fn blocks(text: &[u8]) -> (Vec<Block<'_>>, Vec<String>) {
    let mut blocks: Vec<Block<'_>> = Vec::new();
    let mut defects = Vec::new();
    let mut open: Option<Block<'_>> = None;
    for (number, line) in lines(text) {
        let Some(found) = armour(number, line) else {
            if let Some(block) = open.as_mut() {
                block.body.push((number, line));
            }
            continue;
        };
        defects.extend(found.dash_defect());
        match (found.begin, open.take()) {
            (true, previous) => {
                if let Some(previous) = previous {
                    defects.push(format!(
                        "line {}: a BEGIN line before the END line of the block that begins on line {}",
                        found.line, previous.begin.line
                    ));
                    blocks.push(previous);
                }
                open = Some(Block {
                    begin: found,
                    end: None,
                    body: Vec::new(),
                });
            }
            (false, Some(mut block)) => {
                if found.label != block.begin.label {
                    defects.push(format!(
                        "line {}: the END line's label is not the label of the BEGIN line {}",
                        found.line, block.begin.line
                    ));
                }
                block.end = Some(found);
                blocks.push(block);
            }
            (false, None) => defects.push(format!("line {}: an END line without a BEGIN line", found.line)),
        }
    }
    blocks.extend(open);
    (blocks, defects)
}

/// The body's defects: the first character that is not base64 (by line and
/// column), and the first line whose length breaks the block's rhythm (only
/// the last line may be shorter). A block wrapped at another width
/// throughout (76, as MIME tools do) has no defect: RFC 7468 readers take it.
pub(super) fn body_defects(body: &[(usize, &[u8])]) -> Vec<String> {
    // Encapsulated headers (`Proc-Type: ...`) end at a blank line; base64 follows.
    let data: Vec<(usize, &[u8])> = match body.iter().position(|(_, l)| l.contains(&b':')) {
        Some(_) => body
            .iter()
            .skip_while(|(_, l)| !l.is_empty())
            .filter(|(_, l)| !l.is_empty())
            .copied()
            .collect(),
        None => body.iter().filter(|(_, l)| !l.is_empty()).copied().collect(),
    };
    let mut defects = Vec::new();
    let not_base64 = data.iter().find_map(|(n, line)| {
        line.iter()
            .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b' ' | b'\t')))
            .map(|column| (*n, column + 1))
    });
    if let Some((line, column)) = not_base64 {
        defects.push(format!(
            "line {line}, column {column}: a character that is not base64"
        ));
    }
    let widths: Vec<usize> = data.iter().map(|(_, l)| l.trim_ascii().len()).collect();
    let (last, full) = widths.split_last().unwrap_or((&0, &[]));
    // The width the block wraps at: its most common full-line width
    // (RFC 7468's 64 on a tie); only the last line may be shorter.
    let mut rhythm = WIDTH;
    let mut most = full.iter().filter(|&&w| w == WIDTH).count();
    for &width in full {
        let n = full.iter().filter(|&&w| w == width).count();
        if n > most {
            (rhythm, most) = (width, n);
        }
    }
    let off: Vec<usize> = full
        .iter()
        .chain((*last > rhythm).then_some(last))
        .enumerate()
        .filter(|(_, &w)| w != rhythm)
        .map(|(i, _)| i)
        .collect();
    if let Some((&first, (line, _))) = off.first().and_then(|i| Some((widths.get(*i)?, data.get(*i)?))) {
        defects.push(match off.len() {
            1 => format!("line {line} is {first} characters, the others {rhythm}"),
            n => format!(
                "line {line} is {first} characters where the block's lines are {rhythm} ({n} lines are not)"
            ),
        });
    }
    defects
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_dash_counts_and_mismatched_labels_are_named_by_line() {
        let text = b"----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE------\n\
                     -----BEGIN A-----\nAAAA\n-----END B-----\n-----END C-----\n";
        let (blocks, defects) = blocks(text);
        assert_eq!(blocks.len(), 2);
        assert_eq!(
            defects,
            [
                "line 1: the BEGIN line has 4 dashes before BEGIN, PEM armour has 5",
                "line 3: the END line has 6 dashes after its label, PEM armour has 5",
                "line 6: the END line's label is not the label of the BEGIN line 4",
                "line 7: an END line without a BEGIN line",
            ]
        );
    }

    #[test]
    fn body_defects_name_the_line_and_column() {
        let full = [b'A'; 64];
        let long = [b'A'; 67];
        let body: Vec<(usize, &[u8])> = vec![(2, &full), (3, &long), (4, &full), (5, b"AA*A")];
        assert_eq!(
            body_defects(&body),
            [
                "line 5, column 3: a character that is not base64",
                "line 3 is 67 characters, the others 64",
            ]
        );
        let body: Vec<(usize, &[u8])> = vec![(2, &long), (3, &full), (4, &long), (5, &full), (6, &full)];
        assert_eq!(
            body_defects(&body),
            ["line 2 is 67 characters where the block's lines are 64 (2 lines are not)"]
        );
        let clean: Vec<(usize, &[u8])> = vec![(2, &full), (3, b"AAAA")];
        assert!(body_defects(&clean).is_empty());
        let mime = [b'A'; 76];
        let wrapped_at_76: Vec<(usize, &[u8])> = vec![(2, &mime), (3, &mime), (4, b"AAAA")];
        assert!(body_defects(&wrapped_at_76).is_empty());
    }

    #[test]
    fn text_without_armour_has_none() {
        assert!(!has_armour(b"hello\nBEGIN CERTIFICATE\n"));
        assert!(has_armour(b"x\n----BEGIN CERTIFICATE REQUEST-----\n"));
    }
}
