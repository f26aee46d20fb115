//! One row of an image's history (`config.history[]`), mapped to the layer it made or marked empty.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct HistoryRow {
    /// RFC 3339 as stored in the config.
    pub created: Option<String>,
    pub created_by: String,
    pub comment: String,
    pub author: String,
    pub empty_layer: bool,
    /// Index of the layer this row produced; `None` for empty rows.
    pub layer_index: Option<usize>,
}

/// Map rows to layers: each non-empty row takes the next layer in order. Rows beyond the layers
/// (a malformed config) get `None`.
pub fn assign_layers(rows: &mut [HistoryRow], layer_count: usize) {
    let mut next = 0;
    for row in rows.iter_mut() {
        if row.empty_layer {
            row.layer_index = None;
        } else if next < layer_count {
            row.layer_index = Some(next);
            next += 1;
        } else {
            row.layer_index = None;
        }
    }
}
