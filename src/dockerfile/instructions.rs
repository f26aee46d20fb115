//! placeholder
use super::node::ParseResult;
pub struct Stage {
    pub name: Option<String>,
}
pub fn from_ast(_r: &ParseResult) -> Result<Vec<Stage>, String> {
    Ok(vec![Stage {
        name: Some("base".into()),
    }])
}
