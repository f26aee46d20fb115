//! The explore view's state: image archives the user dropped. Issue 7 grows it into loading
//! progress, the loaded images, layer selection, the file tree, history and analysis. Pure.

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExploreState {
    /// Names and sizes of archives received, newest last.
    pub archives: Vec<(String, u64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExploreAction {
    /// An archive was dropped or picked.
    ArchiveReceived { name: String, size: u64 },
}

impl ExploreState {
    pub fn reduce(&self, action: ExploreAction) -> ExploreState {
        let mut next = self.clone();
        match action {
            ExploreAction::ArchiveReceived { name, size } => next.archives.push((name, size)),
        }
        next
    }
}
