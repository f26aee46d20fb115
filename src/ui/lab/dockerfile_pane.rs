//! The Dockerfile editor: tabs (app, app2, a dropped file), a textarea laid over the coloured
//! text with line numbers, each instruction's cache mark (CACHED / rebuilt) at its line, parse
//! errors and warnings at their line, and the selected layer's lines highlighted. Typing is
//! debounced into one rebuild; clicking a line selects the layer it made.

use crate::ui::store::StoreHandle;
use crate::viewmodel::lab::sim::StepMark;
use crate::viewmodel::lab::syntax::{highlight, Severity};
use crate::viewmodel::{Action, DockerfileTab, Key, LabAction};
use gloo::timers::callback::Timeout;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

/// Pause after the last keystroke before rebuilding (ms).
pub const DEBOUNCE_MS: u32 = 300;

/// Rebuild now (the lab worker times it: `ui::lab::lab_client`).
pub fn rebuild(store: &StoreHandle) {
    store.dispatch(Action::Lab(LabAction::Rebuild));
}

#[function_component(DockerfilePane)]
pub fn dockerfile_pane(props: &Props) -> Html {
    let state = &props.store.0.lab;
    let lang = state.lang;
    let timer = use_mut_ref(|| None::<Timeout>);
    let tab = |t: DockerfileTab, label: String| {
        let store = props.store.clone();
        let selected = state.tab == t;
        html! {
            <button role="tab" class={classes!("tab", selected.then_some("selected"))}
                aria-selected={selected.to_string()}
                onclick={Callback::from(move |_| store.dispatch(Action::Lab(LabAction::SelectTab(t))))}>
                { label }
            </button>
        }
    };
    let text = state.active_dockerfile().to_string();
    let img = state.tab.image();
    let marks: Vec<(usize, StepMark)> = match state.image(img) {
        Some(b) if !state.dirty && img < state.builds => {
            b.steps.iter().map(|s| (s.line, s.mark)).collect()
        }
        _ => Vec::new(),
    };
    let mut diags = state.active_diagnostics().to_vec();
    if let Some(e) = state.build_error(img) {
        diags.push(crate::viewmodel::lab::syntax::Diagnostic {
            line: e.line.unwrap_or(1),
            severity: Severity::Error,
            message: e.message.clone(),
        });
    }
    let hl = state.highlighted_lines();
    let lines = highlight(&text).into_iter().enumerate().map(|(i, spans)| {
        let n = i + 1;
        let lit = matches!(hl, Some((s, e)) if s <= n && n <= e);
        let mark = marks.iter().find(|(l, _)| *l == n).map(|(_, m)| *m);
        let badge = match mark {
            Some(StepMark::Cached) => html! { <span class="mark mark-cached" title={Key::CachedTip.t(lang)}>{ Key::Cached.t(lang) }</span> },
            Some(StepMark::Rebuilt) => html! { <span class="mark mark-rebuilt">{ Key::Rebuilt.t(lang) }</span> },
            Some(StepMark::Base) => html! { <span class="mark mark-base">{ Key::Base.t(lang) }</span> },
            Some(StepMark::Config) => html! { <span class="mark mark-config">{ Key::ConfigOnly.t(lang) }</span> },
            None => html! {},
        };
        let diag = diags.iter().find(|d| d.line == n);
        let dclass = diag.map(|d| if d.severity == Severity::Error { "diag-error" } else { "diag-warning" });
        html! {
            <div class={classes!("code-line", lit.then_some("lit"), dclass)} data-line={n.to_string()}
                data-mark={mark.map(|m| format!("{m:?}").to_lowercase())}>
                <span class="ln">{ n }</span>
                <span class="src">{ for spans.into_iter().map(|(t, s)| html! { <span class={t.class()}>{ s }</span> }) }</span>
                { badge }
            </div>
        }
    });
    let oninput = {
        let store = props.store.clone();
        let timer = timer.clone();
        Callback::from(move |e: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            store.dispatch(Action::Lab(LabAction::EditDockerfile(area.value())));
            let store = store.clone();
            *timer.borrow_mut() = Some(Timeout::new(DEBOUNCE_MS, move || rebuild(&store)));
        })
    };
    let select_line = {
        let store = props.store.clone();
        Callback::from(move |area: web_sys::HtmlTextAreaElement| {
            let pos = area.selection_start().ok().flatten().unwrap_or(0) as usize;
            let v = area.value();
            // selectionStart counts UTF-16 units.
            let line = 1 + v
                .encode_utf16()
                .take(pos)
                .filter(|c| *c == u16::from(b'\n'))
                .count();
            store.dispatch(Action::Lab(LabAction::SelectLine(line)));
        })
    };
    let onclick = {
        let s = select_line.clone();
        Callback::from(move |e: MouseEvent| s.emit(e.target_unchecked_into()))
    };
    let onkeyup = Callback::from(move |e: KeyboardEvent| {
        if matches!(
            e.key().as_str(),
            "ArrowUp" | "ArrowDown" | "PageUp" | "PageDown"
        ) {
            select_line.emit(e.target_unchecked_into());
        }
    });
    let rows = text.lines().count().max(1) + 1;
    html! {
        <section class="pane pane-dockerfile" aria-labelledby="pane-dockerfile-title">
            <h2 id="pane-dockerfile-title">{ Key::Dockerfile.t(lang) }</h2>
            <div role="tablist" class="tabs">
                { tab(DockerfileTab::App, "app".into()) }
                { tab(DockerfileTab::App2, "app2".into()) }
                if let Some((name, _)) = &state.user_dockerfile {
                    { tab(DockerfileTab::User, name.clone()) }
                }
            </div>
            <div class="editor" role="tabpanel">
                <pre class="code" aria-hidden="true" data-testid="dockerfile-text">{ for lines }<div class="code-line"><span class="ln"></span><span class="src">{" "}</span></div></pre>
                <textarea class="editor-input" spellcheck="false" aria-label={format!("{} ({})", Key::Dockerfile.t(lang), state.tab.image())}
                    data-testid="dockerfile-input" rows={rows.to_string()} value={text.clone()} {oninput} {onclick} {onkeyup} />
            </div>
            <ul class="diagnostics" data-testid="diagnostics">
                { for diags.iter().map(|d| html! {
                    <li class={if d.severity == Severity::Error { "diag-error" } else { "diag-warning" }}>
                        { format!("{}:{}: {}", if d.severity == Severity::Error { Key::DiagError.t(lang) } else { Key::DiagWarning.t(lang) }, d.line, d.message) }
                    </li>
                }) }
            </ul>
        </section>
    }
}
