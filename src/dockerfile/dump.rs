//! BuildKit's AST dump (`Node.Dump()`), the format of the upstream `result` files: one
//! `(keyword ["flags"] "arg" …)` line per instruction, Go-quoted, ONBUILD nested. Comments,
//! heredoc bodies, lines and the exec-form attribute are not part of it.

use super::gotext::{quote_into, to_lower, trim_space};
use super::node::{Node, ParseResult};

/// The whole dump, newline-terminated, byte-identical to an upstream `result` file.
pub fn dump(result: &ParseResult) -> String {
    let mut out = String::new();
    for n in &result.nodes {
        out.push('(');
        out.push_str(&dump_node(n));
        out.push_str(")\n");
    }
    out
}

/// One node's dump without the surrounding parentheses.
pub fn dump_node(node: &Node) -> String {
    let mut s = to_lower(&node.keyword);
    if !node.flags.is_empty() {
        s.push_str(" [");
        for (i, f) in node.flags.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            quote_into(&mut s, f);
        }
        s.push(']');
    }
    for a in &node.args {
        s.push(' ');
        quote_into(&mut s, a);
    }
    if let Some(sub) = &node.sub {
        s.push_str(" (");
        s.push_str(&dump_node(sub));
        s.push(')');
    }
    match std::str::from_utf8(trim_space(s.as_bytes())) {
        Ok(t) if t.len() != s.len() => t.to_string(),
        _ => s,
    }
}
