//! Go's `text/tabwriter` as Docker's CLI uses it (`NewWriter(out, minwidth, 1, padding, ' ', 0)`):
//! cells are tab-terminated, widths are computed per column *block* (consecutive lines that have
//! a cell in that column), text after a line's last tab is never padded, and widths count Unicode
//! scalar values (runes), not display columns. Embedded newlines end a line, as in Go.

/// Lay out `text` (lines separated by `\n`, cells terminated by `\t`) the way Go's tabwriter does
/// with flags 0 and pad character ' '.
pub fn tabwrite(text: &str, minwidth: usize, padding: usize) -> String {
    let mut lines: Vec<Vec<&str>> = text.split('\n').map(|l| l.split('\t').collect()).collect();
    // A trailing newline leaves one empty line that Go never prints.
    let trailing_newline = text.ends_with('\n');
    if trailing_newline {
        lines.pop();
    }
    let mut out = String::new();
    let mut widths = Vec::new();
    format(
        &lines,
        0,
        lines.len(),
        &mut widths,
        minwidth,
        padding,
        &mut out,
    );
    out
}

fn runes(s: &str) -> usize {
    s.chars().count()
}

fn format(
    lines: &[Vec<&str>],
    mut line0: usize,
    line1: usize,
    widths: &mut Vec<usize>,
    minwidth: usize,
    padding: usize,
    out: &mut String,
) {
    let column = widths.len();
    let mut this = line0;
    while this < line1 {
        if column + 1 >= lines[this].len() {
            this += 1;
            continue;
        }
        write_lines(lines, line0, this, widths, out);
        line0 = this;
        let mut width = minwidth;
        while this < line1 && column + 1 < lines[this].len() {
            width = width.max(runes(lines[this][column]) + padding);
            this += 1;
        }
        widths.push(width);
        format(lines, line0, this, widths, minwidth, padding, out);
        widths.pop();
        line0 = this;
    }
    write_lines(lines, line0, line1, widths, out);
}

fn write_lines(lines: &[Vec<&str>], from: usize, to: usize, widths: &[usize], out: &mut String) {
    for line in &lines[from..to] {
        for (j, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if j < widths.len() && j + 1 < line.len() {
                for _ in runes(cell)..widths[j] {
                    out.push(' ');
                }
            }
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_last_cell() {
        let t = "a\tbb\tc\nxxxx\ty\t\n";
        assert_eq!(tabwrite(t, 0, 1), "a    bb c\nxxxx y  \n");
        // A line without cells ends the column block.
        let t = "a\tb\nno cells\nlonger\tz\n";
        assert_eq!(tabwrite(t, 0, 1), "a b\nno cells\nlonger z\n");
    }
}
