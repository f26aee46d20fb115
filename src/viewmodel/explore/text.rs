//! The explore view's sentences built from its data, in the interface language (`lab::i18n`
//! keys): the status bar's notes on a finished load, change-type and file-type names, and the
//! analysis' waste reasons. It does not translate what the archive reader or Docker wrote
//! (error details, `docker image history`, paths): those are carried inside as they are.

use crate::viewmodel::lab::{Key, Lang};

/// What the status bar says when a load ends; names are archive file names, `None` when the
/// job is no longer known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// The reader failed after reading `images_before` images.
    PartlyRead {
        name: Option<String>,
        error: String,
        images_before: usize,
    },
    /// Every image read: its label and layer count.
    Read {
        name: Option<String>,
        images: Vec<(String, usize)>,
    },
    Failed {
        name: Option<String>,
        message: String,
    },
    Cancelled {
        name: Option<String>,
    },
}

impl Note {
    pub fn text(&self, lang: Lang) -> String {
        let name = |n: &Option<String>| {
            n.clone()
                .unwrap_or_else(|| Key::ExTheArchive.t(lang).to_string())
        };
        match self {
            Note::PartlyRead {
                name: n,
                error,
                images_before,
            } => {
                let before = if *images_before == 0 {
                    String::new()
                } else {
                    Key::ExReadBefore.f(lang, &[&images_before.to_string()])
                };
                Key::ExPartlyRead.f(lang, &[&name(n), error, &before])
            }
            Note::Read { name: n, images } => {
                let list = images
                    .iter()
                    .map(|(label, layers)| format!("{label} ({})", lang.layers(*layers)))
                    .collect::<Vec<_>>()
                    .join(", ");
                Key::ExRead.f(lang, &[&name(n), &list])
            }
            Note::Failed { name: n, message } => {
                Key::StatusReadFailed.f(lang, &[&name(n), message])
            }
            Note::Cancelled { name: n } => Key::ExCancelled.f(lang, &[&name(n)]),
        }
    }
}

/// `Added`, `Modified`, `Deleted` or `Unchanged` for a change letter (`A`, `M`, `D`, other).
pub fn change_name(c: char, lang: Lang) -> &'static str {
    match c {
        'A' => Key::ExAdded,
        'M' => Key::ExModified,
        'D' => Key::ExDeleted,
        _ => Key::ExUnchanged,
    }
    .t(lang)
}

/// The name of an entry kind (`EntryKind::as_str`: `file`, `dir`, …); unknown kinds as they are.
pub fn kind_name(kind: &str, lang: Lang) -> String {
    let key = match kind {
        "file" => Key::ExKindFile,
        "dir" => Key::ExKindDir,
        "symlink" => Key::ExKindSymlink,
        "hardlink" => Key::ExKindHardlink,
        "char" => Key::ExKindChar,
        "block" => Key::ExKindBlock,
        "fifo" => Key::ExKindFifo,
        other => return other.to_string(),
    };
    key.t(lang).to_string()
}

/// A waste reason as `analysis::WastePath::reason` writes it (`layer 1 wrote 16 B (deleted by
/// layer 4, whiteout); layer 11 wrote 9 B (kept)`) in `lang`; English, or any text not of that
/// form, is returned as it is.
pub fn waste_reason(reason: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return reason.to_string();
    }
    // Copies are joined by "; " and each starts with "layer ".
    let mut parts = Vec::new();
    let mut rest = reason;
    loop {
        let end = rest[1..].find("; layer ").map(|i| i + 1);
        let (part, next) = match end {
            Some(i) => (&rest[..i], Some(&rest[i + 2..])),
            None => (rest, None),
        };
        match copy_reason(part, lang) {
            Some(t) => parts.push(t),
            None => return reason.to_string(),
        }
        match next {
            Some(n) => rest = n,
            None => break,
        }
    }
    parts.join("; ")
}

/// `layer 1 wrote 16 B (fate)` in `lang`.
fn copy_reason(part: &str, lang: Lang) -> Option<String> {
    let rest = part.strip_prefix("layer ")?;
    let (layer, rest) = rest.split_once(" wrote ")?;
    let (size, fate) = rest.split_once(" (")?;
    let fate = fate.strip_suffix(')')?;
    let fate = if fate == "kept" {
        Key::ExFateKept.t(lang).to_string()
    } else if let Some(by) = fate.strip_prefix("shadowed by layer ") {
        Key::ExFateShadowed.f(lang, &[by])
    } else {
        let (by, how) = fate.strip_prefix("deleted by layer ")?.split_once(", ")?;
        Key::ExFateDeleted.f(lang, &[by, &how_name(how, lang)?])
    };
    Some(Key::ExWrote.f(lang, &[layer, size, &fate]))
}

/// How a copy was removed (`analysis::waste`'s `how`).
fn how_name(how: &str, lang: Lang) -> Option<String> {
    Some(match how {
        "rewritten" => Key::ExHowRewritten.t(lang).to_string(),
        "whiteout" => "whiteout".to_string(),
        "not visible" => Key::ExHowNotVisible.t(lang).to_string(),
        _ => {
            if let Some(p) = how.strip_prefix("whiteout of ") {
                Key::ExHowWhiteoutOf.f(lang, &[p])
            } else if let Some(p) = how.strip_prefix("opaque directory ") {
                Key::ExHowOpaque.f(lang, &[p])
            } else {
                let p = how.strip_suffix(" replaced by a non-directory")?;
                Key::ExHowReplaced.f(lang, &[p])
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Fate, StoredCopy, WastePath};

    fn path(copies: Vec<(usize, u64, Fate)>) -> String {
        WastePath {
            path: "/a".into(),
            wasted: 0,
            copies: copies
                .into_iter()
                .map(|(layer, size, fate)| StoredCopy { layer, size, fate })
                .collect(),
        }
        .reason()
    }

    /// The reasons `analysis` writes, read back in Russian (so a change of its wording shows
    /// here); English passes through.
    #[test]
    fn waste_reasons_in_russian() {
        let deleted = |by_layer, how: &str| Fate::Deleted {
            by_layer,
            how: how.into(),
        };
        let cases = [
            (
                path(vec![(1, 16, deleted(4, "whiteout")), (11, 9, Fate::Kept)]),
                "слой 1 записал 16 B (удалён слоем 4, whiteout); слой 11 записал 9 B (эта копия видна)",
            ),
            (
                path(vec![(0, 5, Fate::Shadowed { by_layer: 2 })]),
                "слой 0 записал 5 B (перекрыт слоем 2)",
            ),
            (
                path(vec![(2, 1, deleted(3, "whiteout of /data; x"))]),
                "слой 2 записал 1 B (удалён слоем 3, whiteout для /data; x)",
            ),
            (
                path(vec![(2, 1, deleted(3, "opaque directory /d"))]),
                "слой 2 записал 1 B (удалён слоем 3, непрозрачный (opaque) каталог /d)",
            ),
            (
                path(vec![(2, 1, deleted(3, "/d replaced by a non-directory"))]),
                "слой 2 записал 1 B (удалён слоем 3, на месте /d теперь не каталог)",
            ),
            (
                path(vec![(2, 1, deleted(2, "not visible")), (3, 2, deleted(5, "rewritten"))]),
                "слой 2 записал 1 B (удалён слоем 2, не виден); слой 3 записал 2 B (удалён слоем 5, перезаписан)",
            ),
        ];
        for (en, ru) in cases {
            assert_eq!(waste_reason(&en, Lang::Ru), ru, "{en}");
            assert_eq!(waste_reason(&en, Lang::En), en);
        }
        // Not of that form: shown as it is.
        assert_eq!(waste_reason("something else", Lang::Ru), "something else");
    }

    #[test]
    fn notes_in_both_languages() {
        let read = Note::Read {
            name: Some("a.tar".into()),
            images: vec![("a:1".into(), 1), ("b:2".into(), 3)],
        };
        assert_eq!(
            read.text(Lang::En),
            "Read a.tar: a:1 (1 layer), b:2 (3 layers)."
        );
        assert_eq!(
            read.text(Lang::Ru),
            "Прочитан a.tar: a:1 (1 слой), b:2 (3 слоя)."
        );
        let partly = Note::PartlyRead {
            name: None,
            error: "x.tar: bad header at byte 512".into(),
            images_before: 2,
        };
        assert_eq!(
            partly.text(Lang::En),
            "Could not read all of the archive: x.tar: bad header at byte 512 (2 image(s) read before it)"
        );
        assert_eq!(
            partly.text(Lang::Ru),
            "Не удалось прочитать архив полностью: x.tar: bad header at byte 512 (до ошибки прочитано образов: 2)"
        );
        let cancelled = Note::Cancelled {
            name: Some("m.tar".into()),
        };
        assert_eq!(cancelled.text(Lang::Ru), "Чтение m.tar отменено.");
        assert_eq!(kind_name("symlink", Lang::Ru), "символическая ссылка");
        assert_eq!(kind_name("dir", Lang::En), "dir");
        assert_eq!(change_name('D', Lang::Ru), "Удалено");
        assert_eq!(Lang::Ru.bytes(1), "1 байт");
        assert_eq!(Lang::Ru.bytes(22), "22 байта");
        assert_eq!(Lang::Ru.bytes(112), "112 байт");
        assert_eq!(Lang::En.bytes(1), "1 byte");
        assert_eq!(Lang::En.bytes(101), "101 bytes");
        assert_eq!(Lang::Ru.rows(21), "21 строка");
    }
}
