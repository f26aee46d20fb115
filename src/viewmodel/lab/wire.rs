//! The lab's messages between the page and the lab worker, in the compact binary form of
//! `codec`: the page's requests ([`LabRequest`]: sequence number, clock, action) and the
//! simulator's answers ([`LabView`]). Each message starts with its own mark and must end where
//! its last field ends. Every type in them has one `put_x` / `get_x` pair below: integers as
//! LEB128 (zigzag when signed), strings as length + UTF-8, options as a 0/1 flag then the value,
//! lists as a count then the items, and each enum as one tag number per variant. Decoding checks
//! every length, tag and UTF-8 string, so a bad message is a [`WireError`] naming the byte
//! offset, never a panic. It does not post anything, and it neither builds nor parses: the page's
//! wasm carries it, so it uses nothing of `build` but the `Builder` and `BuildError` types.

use super::containers::{ConsoleEntry, RwEvent};
use super::fragment::Snapshot;
use super::i18n::Lang;
use super::inputs::{DockerfileTab, LabInputs};
use super::sim::{LayerRow, StepMark, StepRow};
use super::syntax::{Diagnostic, Severity};
use super::view::{ContainerView, ImageView, LabView};
use super::{LabAction, PushView};
use crate::build::{BuildError, Builder};
use crate::codec::{Reader, WireError, Writer};

/// First bytes of a page → worker request (format version 1).
const MARK_REQUEST: &[u8; 3] = b"LQ1";
/// First bytes of a worker → page view (format version 1).
const MARK_VIEW: &[u8; 3] = b"LV1";

/// One page request: apply `action` at `now` (seconds since the epoch); the answer's `ack` is
/// `seq`.
#[derive(Debug, Clone, PartialEq)]
pub struct LabRequest {
    pub seq: u64,
    pub now: i64,
    pub action: LabAction,
}

/// The bytes of a request (exactly; [`decode_request`] gives it back equal).
pub fn encode_request(r: &LabRequest) -> Vec<u8> {
    let mut w = Writer::with_mark(MARK_REQUEST);
    w.uint(r.seq);
    w.int(r.now);
    put_action(&mut w, &r.action);
    w.out
}

/// Read what [`encode_request`] wrote.
pub fn decode_request(data: &[u8]) -> Result<LabRequest, WireError> {
    let mut r = Reader::after_mark(data, MARK_REQUEST, "the LQ1 mark of a lab request")?;
    let req = LabRequest {
        seq: r.uint()?,
        now: r.int()?,
        action: get_action(&mut r)?,
    };
    r.end()?;
    Ok(req)
}

/// The bytes of a view (exactly; [`decode_view`] gives it back equal).
pub fn encode_view(v: &LabView) -> Vec<u8> {
    let mut w = Writer::with_mark(MARK_VIEW);
    w.uint(v.ack);
    put_inputs(&mut w, &v.inputs);
    w.uint(v.builds as u64);
    put_list(&mut w, &v.images, |w, i| match i {
        Ok(image) => {
            w.uint(0);
            put_image(w, image);
        }
        Err(e) => {
            w.uint(1);
            put_build_error(w, e);
        }
    });
    put_list(&mut w, &v.containers, put_container);
    put_list(&mut w, &v.pushes, put_push);
    w.opt_str(v.note.as_deref());
    put_list(&mut w, &v.diagnostics, |w, d| {
        put_list(w, d, put_diagnostic)
    });
    w.out
}

/// Read what [`encode_view`] wrote.
pub fn decode_view(data: &[u8]) -> Result<LabView, WireError> {
    let mut r = Reader::after_mark(data, MARK_VIEW, "the LV1 mark of a lab view")?;
    let view = LabView {
        ack: r.uint()?,
        inputs: get_inputs(&mut r)?,
        builds: r.usize()?,
        images: get_list(&mut r, |r| {
            Ok(match tag(r, 2, "an image (0) or a build error (1)")? {
                0 => Ok(get_image(r)?),
                _ => Err(get_build_error(r)?),
            })
        })?,
        containers: get_list(&mut r, get_container)?,
        pushes: get_list(&mut r, get_push)?,
        note: r.opt_str()?,
        diagnostics: get_list(&mut r, |r| get_list(r, get_diagnostic))?,
    };
    r.end()?;
    Ok(view)
}

// ---- Shared shapes: tags, flags, lists, pairs ----

/// An enum's tag, below `n`; otherwise an error at the tag's first byte.
fn tag(r: &mut Reader, n: u64, expected: &'static str) -> Result<u64, WireError> {
    let at = r.pos;
    let t = r.uint()?;
    if t >= n {
        return Err(WireError {
            offset: at,
            expected,
        });
    }
    Ok(t)
}

fn put_flag(w: &mut Writer, b: bool) {
    w.out.push(u8::from(b));
}

fn put_list<T>(w: &mut Writer, items: &[T], put: impl Fn(&mut Writer, &T)) {
    w.uint(items.len() as u64);
    for i in items {
        put(w, i);
    }
}

/// A count, then that many items (each takes at least one byte, so the count is bounded by the
/// bytes left and no huge allocation happens).
fn get_list<T>(
    r: &mut Reader,
    get: impl Fn(&mut Reader) -> Result<T, WireError>,
) -> Result<Vec<T>, WireError> {
    let n = r.count()?;
    let mut v = Vec::with_capacity(n);
    for _ in 0..n {
        v.push(get(r)?);
    }
    Ok(v)
}

fn put_usize(w: &mut Writer, n: usize) {
    w.uint(n as u64);
}

fn put_opt_usize(w: &mut Writer, n: Option<usize>) {
    w.opt_uint(n.map(|n| n as u64));
}

fn put_text_pair(w: &mut Writer, (a, b): &(String, String)) {
    w.str(a);
    w.str(b);
}

fn get_text_pair(r: &mut Reader) -> Result<(String, String), WireError> {
    Ok((r.str()?, r.str()?))
}

fn put_opt_pair(w: &mut Writer, p: Option<(usize, usize)>) {
    match p {
        None => put_flag(w, false),
        Some((a, b)) => {
            put_flag(w, true);
            put_usize(w, a);
            put_usize(w, b);
        }
    }
}

fn get_opt_pair(r: &mut Reader) -> Result<Option<(usize, usize)>, WireError> {
    if r.flag()? {
        Ok(Some((r.usize()?, r.usize()?)))
    } else {
        Ok(None)
    }
}

// ---- Small enums ----

fn put_lang(w: &mut Writer, l: Lang) {
    w.uint(match l {
        Lang::En => 0,
        Lang::Ru => 1,
    });
}

fn get_lang(r: &mut Reader) -> Result<Lang, WireError> {
    Ok(match tag(r, 2, "a language (0 en, 1 ru)")? {
        0 => Lang::En,
        _ => Lang::Ru,
    })
}

fn put_builder(w: &mut Writer, b: Builder) {
    w.uint(match b {
        Builder::BuildKit => 0,
        Builder::Classic => 1,
    });
}

fn get_builder(r: &mut Reader) -> Result<Builder, WireError> {
    Ok(match tag(r, 2, "a builder (0 BuildKit, 1 classic)")? {
        0 => Builder::BuildKit,
        _ => Builder::Classic,
    })
}

fn put_tab(w: &mut Writer, t: DockerfileTab) {
    w.uint(match t {
        DockerfileTab::App => 0,
        DockerfileTab::App2 => 1,
        DockerfileTab::User => 2,
    });
}

fn get_tab(r: &mut Reader) -> Result<DockerfileTab, WireError> {
    Ok(
        match tag(r, 3, "a Dockerfile tab (0 app, 1 app2, 2 user)")? {
            0 => DockerfileTab::App,
            1 => DockerfileTab::App2,
            _ => DockerfileTab::User,
        },
    )
}

fn put_step_mark(w: &mut Writer, m: StepMark) {
    w.uint(match m {
        StepMark::Base => 0,
        StepMark::Cached => 1,
        StepMark::Rebuilt => 2,
        StepMark::Config => 3,
    });
}

fn get_step_mark(r: &mut Reader) -> Result<StepMark, WireError> {
    Ok(match tag(r, 4, "a step mark (0 to 3)")? {
        0 => StepMark::Base,
        1 => StepMark::Cached,
        2 => StepMark::Rebuilt,
        _ => StepMark::Config,
    })
}

fn put_severity(w: &mut Writer, s: Severity) {
    w.uint(match s {
        Severity::Error => 0,
        Severity::Warning => 1,
    });
}

fn get_severity(r: &mut Reader) -> Result<Severity, WireError> {
    Ok(match tag(r, 2, "a severity (0 error, 1 warning)")? {
        0 => Severity::Error,
        _ => Severity::Warning,
    })
}

// ---- Requests ----

fn put_snapshot(w: &mut Writer, s: &Snapshot) {
    w.strings(&s.dockerfiles);
    put_list(w, &s.context, put_text_pair);
    w.str(&s.builder);
    put_opt_pair(w, s.selected);
    put_opt_usize(w, s.guide);
    w.opt_str(s.lang.as_deref());
    put_usize(w, s.tab);
}

fn get_snapshot(r: &mut Reader) -> Result<Snapshot, WireError> {
    Ok(Snapshot {
        dockerfiles: r.strings()?,
        context: get_list(r, get_text_pair)?,
        builder: r.str()?,
        selected: get_opt_pair(r)?,
        guide: r.opt_uint()?,
        lang: r.opt_str()?,
        tab: r.usize()?,
    })
}

/// Tags follow the order of `LabAction`'s variants.
fn put_action(w: &mut Writer, a: &LabAction) {
    match a {
        LabAction::SelectTab(t) => {
            w.uint(0);
            put_tab(w, *t);
        }
        LabAction::DockerfileRead { name, text } => {
            w.uint(1);
            w.str(name);
            w.str(text);
        }
        LabAction::EditDockerfile(text) => {
            w.uint(2);
            w.str(text);
        }
        LabAction::SelectContextFile(i) => {
            w.uint(3);
            put_usize(w, *i);
        }
        LabAction::EditContext { name, text } => {
            w.uint(4);
            w.str(name);
            w.str(text);
        }
        LabAction::AddContext(name) => {
            w.uint(5);
            w.str(name);
        }
        LabAction::ContextFileRead { name, text } => {
            w.uint(6);
            w.str(name);
            w.str(text);
        }
        LabAction::DropContext(name) => {
            w.uint(7);
            w.str(name);
        }
        LabAction::Rebuild => w.uint(8),
        LabAction::SetBuilder(b) => {
            w.uint(9);
            put_builder(w, *b);
        }
        LabAction::SelectLayer(sel) => {
            w.uint(10);
            put_opt_pair(w, *sel);
        }
        LabAction::SelectLine(line) => {
            w.uint(11);
            put_usize(w, *line);
        }
        LabAction::Push(i) => {
            w.uint(12);
            put_usize(w, *i);
        }
        LabAction::StartContainer(i) => {
            w.uint(13);
            put_usize(w, *i);
        }
        LabAction::Run { container, command } => {
            w.uint(14);
            put_usize(w, *container);
            w.str(command);
        }
        LabAction::ResetContainer(i) => {
            w.uint(15);
            put_usize(w, *i);
        }
        LabAction::CommitContainer(i) => {
            w.uint(16);
            put_usize(w, *i);
        }
        LabAction::RemoveContainer(i) => {
            w.uint(17);
            put_usize(w, *i);
        }
        LabAction::RemoveImage(i) => {
            w.uint(18);
            put_usize(w, *i);
        }
        LabAction::Clock(now) => {
            w.uint(19);
            w.int(*now);
        }
        LabAction::Init {
            lang,
            embed,
            snapshot,
        } => {
            w.uint(20);
            put_lang(w, *lang);
            put_flag(w, *embed);
            match snapshot {
                None => put_flag(w, false),
                Some(s) => {
                    put_flag(w, true);
                    put_snapshot(w, s);
                }
            }
        }
        LabAction::SetLang(l) => {
            w.uint(21);
            put_lang(w, *l);
        }
        LabAction::Guide(step) => {
            w.uint(22);
            put_opt_usize(w, *step);
        }
        LabAction::GuideTry => w.uint(23),
        LabAction::Load(s) => {
            w.uint(24);
            put_snapshot(w, s);
        }
        LabAction::SetEmbed(e) => {
            w.uint(25);
            put_flag(w, *e);
        }
    }
}

fn get_action(r: &mut Reader) -> Result<LabAction, WireError> {
    Ok(match tag(r, 26, "a lab action (0 to 25)")? {
        0 => LabAction::SelectTab(get_tab(r)?),
        1 => LabAction::DockerfileRead {
            name: r.str()?,
            text: r.str()?,
        },
        2 => LabAction::EditDockerfile(r.str()?),
        3 => LabAction::SelectContextFile(r.usize()?),
        4 => LabAction::EditContext {
            name: r.str()?,
            text: r.str()?,
        },
        5 => LabAction::AddContext(r.str()?),
        6 => LabAction::ContextFileRead {
            name: r.str()?,
            text: r.str()?,
        },
        7 => LabAction::DropContext(r.str()?),
        8 => LabAction::Rebuild,
        9 => LabAction::SetBuilder(get_builder(r)?),
        10 => LabAction::SelectLayer(get_opt_pair(r)?),
        11 => LabAction::SelectLine(r.usize()?),
        12 => LabAction::Push(r.usize()?),
        13 => LabAction::StartContainer(r.usize()?),
        14 => LabAction::Run {
            container: r.usize()?,
            command: r.str()?,
        },
        15 => LabAction::ResetContainer(r.usize()?),
        16 => LabAction::CommitContainer(r.usize()?),
        17 => LabAction::RemoveContainer(r.usize()?),
        18 => LabAction::RemoveImage(r.usize()?),
        19 => LabAction::Clock(r.int()?),
        20 => LabAction::Init {
            lang: get_lang(r)?,
            embed: r.flag()?,
            snapshot: if r.flag()? {
                Some(get_snapshot(r)?)
            } else {
                None
            },
        },
        21 => LabAction::SetLang(get_lang(r)?),
        22 => LabAction::Guide(r.opt_uint()?),
        23 => LabAction::GuideTry,
        24 => LabAction::Load(get_snapshot(r)?),
        _ => LabAction::SetEmbed(r.flag()?),
    })
}

// ---- Views ----

fn put_inputs(w: &mut Writer, i: &LabInputs) {
    put_tab(w, i.tab);
    w.str(&i.app_dockerfile);
    w.str(&i.app2_dockerfile);
    match &i.user_dockerfile {
        None => put_flag(w, false),
        Some(p) => {
            put_flag(w, true);
            put_text_pair(w, p);
        }
    }
    put_list(w, &i.context, put_text_pair);
    put_usize(w, i.context_tab);
    put_builder(w, i.builder);
    put_flag(w, i.dirty);
    put_opt_pair(w, i.selected);
    put_lang(w, i.lang);
    put_opt_usize(w, i.guide);
    put_flag(w, i.embed);
    w.int(i.now);
    put_flag(w, i.initialized);
}

fn get_inputs(r: &mut Reader) -> Result<LabInputs, WireError> {
    Ok(LabInputs {
        tab: get_tab(r)?,
        app_dockerfile: r.str()?,
        app2_dockerfile: r.str()?,
        user_dockerfile: if r.flag()? {
            Some(get_text_pair(r)?)
        } else {
            None
        },
        context: get_list(r, get_text_pair)?,
        context_tab: r.usize()?,
        builder: get_builder(r)?,
        dirty: r.flag()?,
        selected: get_opt_pair(r)?,
        lang: get_lang(r)?,
        guide: r.opt_uint()?,
        embed: r.flag()?,
        now: r.int()?,
        initialized: r.flag()?,
    })
}

fn put_step(w: &mut Writer, s: &StepRow) {
    put_usize(w, s.line);
    put_usize(w, s.end_line);
    w.str(&s.keyword);
    w.str(&s.text);
    put_step_mark(w, s.mark);
    put_opt_usize(w, s.layer);
}

fn get_step(r: &mut Reader) -> Result<StepRow, WireError> {
    Ok(StepRow {
        line: r.usize()?,
        end_line: r.usize()?,
        keyword: r.str()?,
        text: r.str()?,
        mark: get_step_mark(r)?,
        layer: r.opt_uint()?,
    })
}

fn put_layer(w: &mut Writer, l: &LayerRow) {
    put_usize(w, l.index);
    w.str(&l.short_id);
    w.uint(l.size);
    put_usize(w, l.files);
    w.str(&l.created_by);
    put_opt_pair(w, l.lines);
    put_flag(w, l.from_base);
}

fn get_layer(r: &mut Reader) -> Result<LayerRow, WireError> {
    Ok(LayerRow {
        index: r.usize()?,
        short_id: r.str()?,
        size: r.uint()?,
        files: r.usize()?,
        created_by: r.str()?,
        lines: get_opt_pair(r)?,
        from_base: r.flag()?,
    })
}

fn put_image(w: &mut Writer, i: &ImageView) {
    w.str(&i.name);
    put_list(w, &i.steps, put_step);
    put_list(w, &i.layers, put_layer);
    w.opt_str(i.parent.as_deref());
    w.strings(&i.diff_ids);
    w.strings(&i.chain_ids);
    w.str(&i.history);
}

fn get_image(r: &mut Reader) -> Result<ImageView, WireError> {
    Ok(ImageView {
        name: r.str()?,
        steps: get_list(r, get_step)?,
        layers: get_list(r, get_layer)?,
        parent: r.opt_str()?,
        diff_ids: r.strings()?,
        chain_ids: r.strings()?,
        history: r.str()?,
    })
}

fn put_build_error(w: &mut Writer, e: &BuildError) {
    put_opt_usize(w, e.line);
    w.str(&e.message);
}

fn get_build_error(r: &mut Reader) -> Result<BuildError, WireError> {
    Ok(BuildError {
        line: r.opt_uint()?,
        message: r.str()?,
    })
}

fn put_console(w: &mut Writer, c: &ConsoleEntry) {
    w.str(&c.command);
    w.str(&c.output);
    w.int(i64::from(c.status));
}

fn get_console(r: &mut Reader) -> Result<ConsoleEntry, WireError> {
    let command = r.str()?;
    let output = r.str()?;
    let status = r.int_as::<i32>("an exit status of 32 bits")?;
    Ok(ConsoleEntry {
        command,
        output,
        status,
    })
}

fn put_event(w: &mut Writer, e: &RwEvent) {
    match e {
        RwEvent::CopyUp {
            path,
            from_layer,
            size,
        } => {
            w.uint(0);
            w.str(path);
            put_usize(w, *from_layer);
            w.uint(*size);
        }
        RwEvent::Added { path } => {
            w.uint(1);
            w.str(path);
        }
        RwEvent::Whiteout { path, from_layer } => {
            w.uint(2);
            w.str(path);
            put_usize(w, *from_layer);
        }
    }
}

fn get_event(r: &mut Reader) -> Result<RwEvent, WireError> {
    Ok(
        match tag(r, 3, "a read-write event (0 copy-up, 1 added, 2 whiteout)")? {
            0 => RwEvent::CopyUp {
                path: r.str()?,
                from_layer: r.usize()?,
                size: r.uint()?,
            },
            1 => RwEvent::Added { path: r.str()? },
            _ => RwEvent::Whiteout {
                path: r.str()?,
                from_layer: r.usize()?,
            },
        },
    )
}

/// A read-write path and its kind letter, as the letter's code point.
fn put_rw_path(w: &mut Writer, (path, kind): &(String, char)) {
    w.str(path);
    w.uint(u64::from(u32::from(*kind)));
}

fn get_rw_path(r: &mut Reader) -> Result<(String, char), WireError> {
    let path = r.str()?;
    let at = r.pos;
    let kind = u32::try_from(r.uint()?)
        .ok()
        .and_then(char::from_u32)
        .ok_or(WireError {
            offset: at,
            expected: "a Unicode scalar value (a path's kind letter)",
        })?;
    Ok((path, kind))
}

fn put_container(w: &mut Writer, c: &ContainerView) {
    w.str(&c.name);
    put_usize(w, c.image);
    w.str(&c.image_name);
    put_usize(w, c.image_layers);
    put_list(w, &c.console, put_console);
    put_list(w, &c.events, put_event);
    w.uint(c.version);
    put_list(w, &c.rw_paths, put_rw_path);
    w.uint(c.rw_bytes);
    w.str(&c.diff);
    w.str(&c.ps);
}

fn get_container(r: &mut Reader) -> Result<ContainerView, WireError> {
    Ok(ContainerView {
        name: r.str()?,
        image: r.usize()?,
        image_name: r.str()?,
        image_layers: r.usize()?,
        console: get_list(r, get_console)?,
        events: get_list(r, get_event)?,
        version: r.uint()?,
        rw_paths: get_list(r, get_rw_path)?,
        rw_bytes: r.uint()?,
        diff: r.str()?,
        ps: r.str()?,
    })
}

fn put_push(w: &mut Writer, p: &PushView) {
    w.str(&p.image);
    put_list(w, &p.layers, |w, (id, uploaded)| {
        w.str(id);
        put_flag(w, *uploaded);
    });
    w.str(&p.text);
}

fn get_push(r: &mut Reader) -> Result<PushView, WireError> {
    Ok(PushView {
        image: r.str()?,
        layers: get_list(r, |r| Ok((r.str()?, r.flag()?)))?,
        text: r.str()?,
    })
}

fn put_diagnostic(w: &mut Writer, d: &Diagnostic) {
    put_usize(w, d.line);
    put_severity(w, d.severity);
    w.str(&d.message);
}

fn get_diagnostic(r: &mut Reader) -> Result<Diagnostic, WireError> {
    Ok(Diagnostic {
        line: r.usize()?,
        severity: get_severity(r)?,
        message: r.str()?,
    })
}
