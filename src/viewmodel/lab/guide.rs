//! The guided lab: one step per claim of the lab "Understanding image layers", each with a short
//! explanation in English and Russian, what the page shows when the step opens, and a "try it"
//! action. The reducer (`LabState`) carries the actions out; this file only describes them.

use super::i18n::Lang;

/// Something the guide does to the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GuideDo {
    /// Select layer `layer` of image `image` (highlights its instruction).
    Select { image: usize, layer: usize },
    /// Make sure a container of image 0 runs, then run a command in it.
    Run(&'static str),
    /// Start a container of image 0 if none runs.
    EnsureContainer,
    /// Append a line to a context file and rebuild.
    EditContext {
        name: &'static str,
        append: &'static str,
    },
    /// Push every image in order.
    PushAll,
    /// Switch the builder (and rebuild).
    Classic,
}

/// One step of the guided lab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuideStep {
    pub title: (&'static str, &'static str),
    pub body: (&'static str, &'static str),
    /// What opening the step sets up.
    pub setup: Vec<GuideDo>,
    /// The "try it" action.
    pub try_it: Vec<GuideDo>,
}

impl GuideStep {
    pub fn title(&self, l: Lang) -> &'static str {
        match l {
            Lang::En => self.title.0,
            Lang::Ru => self.title.1,
        }
    }
    pub fn body(&self, l: Lang) -> &'static str {
        match l {
            Lang::En => self.body.0,
            Lang::Ru => self.body.1,
        }
    }
}

/// The steps, in order.
pub fn steps() -> Vec<GuideStep> {
    vec![
        GuideStep {
            title: ("A layer per instruction", "Слой на каждую инструкцию"),
            body: (
                "Each instruction that changes files (RUN, COPY, ADD) adds one read-only layer on top of the previous ones. CMD only changes the configuration: no layer. Try it selects the layer COPY made and highlights its line.",
                "Каждая инструкция, меняющая файлы (RUN, COPY, ADD), добавляет один слой только для чтения поверх предыдущих. CMD меняет лишь конфигурацию — слоя нет. «Попробовать» выделит слой, созданный COPY, и подсветит его строку.",
            ),
            setup: vec![GuideDo::Select { image: 0, layer: 5 }],
            try_it: vec![GuideDo::Select { image: 0, layer: 6 }],
        },
        GuideStep {
            title: ("Read-only layers and the read-write layer", "Слои только для чтения и слой для записи"),
            body: (
                "A container adds one thin read-write layer on top of the image's read-only layers. Everything it writes goes there; the image is not changed. Try it creates a new file.",
                "Контейнер добавляет тонкий слой для записи поверх слоёв образа. Всё, что он пишет, попадает туда; образ не меняется. «Попробовать» создаст новый файл.",
            ),
            setup: vec![GuideDo::EnsureContainer],
            try_it: vec![GuideDo::Run("echo hello > /hello.txt")],
        },
        GuideStep {
            title: ("Copy-up and docker diff", "Copy-up и docker diff"),
            body: (
                "Changing a file of the image first copies the whole file up into the read-write layer (copy-on-write); deleting one leaves a whiteout. docker diff lists A (added), C (changed) and D (deleted) paths. Try it appends to /app.py and deletes /usr/local/bin/pip.",
                "Изменение файла образа сначала копирует весь файл в слой для записи (copy-on-write); удаление оставляет whiteout. docker diff показывает пути A (добавлен), C (изменён) и D (удалён). «Попробовать» допишет строку в /app.py и удалит /usr/local/bin/pip.",
            ),
            setup: vec![GuideDo::EnsureContainer],
            try_it: vec![GuideDo::Run(
                "echo '# edited' >> /app.py && rm /usr/local/bin/pip",
            )],
        },
        GuideStep {
            title: ("app and app2 share layers", "app и app2 делят слои"),
            body: (
                "Both Dockerfiles start the same way, so their lower layers are the very same layers: drawn as one block, stored once. Only the top layer (COPY) differs. Try it selects the shared RUN layer in app2.",
                "Оба Dockerfile начинаются одинаково, поэтому их нижние слои — одни и те же: они нарисованы одним блоком и хранятся один раз. Различается только верхний слой (COPY). «Попробовать» выделит общий слой RUN в app2.",
            ),
            setup: vec![GuideDo::Select { image: 0, layer: 5 }],
            try_it: vec![GuideDo::Select { image: 1, layer: 5 }],
        },
        GuideStep {
            title: ("A common base via FROM", "Общая база через FROM"),
            body: (
                "FROM python:3.8-alpine brings the base image's layers. Every image built FROM it reuses them instead of copying them. Try it selects the bottom layer of the base.",
                "FROM python:3.8-alpine подключает слои базового образа. Каждый образ, собранный FROM на нём, использует их повторно, не копируя. «Попробовать» выделит нижний слой базы.",
            ),
            setup: vec![GuideDo::Select { image: 1, layer: 4 }],
            try_it: vec![GuideDo::Select { image: 1, layer: 0 }],
        },
        GuideStep {
            title: ("The cache on rebuild", "Кэш при пересборке"),
            body: (
                "On a rebuild Docker reuses (CACHED) every step whose inputs did not change, until the first one that did; that step and all after it run again. Try it edits app.py: only COPY is rebuilt. Moving COPY above RUN would make RUN rebuild on every edit.",
                "При пересборке Docker повторно использует (ИЗ КЭША) каждый шаг с неизменными входными данными до первого изменённого; он и все последующие выполняются заново. «Попробовать» изменит app.py: пересоберётся только COPY. Если поставить COPY выше RUN, RUN будет пересобираться при каждой правке.",
            ),
            setup: vec![GuideDo::Select { image: 0, layer: 6 }],
            try_it: vec![GuideDo::EditContext {
                name: "app.py",
                append: "print(\"edited\")\n",
            }],
        },
        GuideStep {
            title: ("Push skips existing layers", "push пропускает имеющиеся слои"),
            body: (
                "docker push uploads only the layers the registry does not have. After app is pushed, app2's shared layers are mounted, not uploaded again. Try it pushes both.",
                "docker push загружает только те слои, которых нет в реестре. После отправки app общие слои app2 монтируются, а не загружаются заново. «Попробовать» отправит оба образа.",
            ),
            setup: vec![],
            try_it: vec![GuideDo::PushAll],
        },
        GuideStep {
            title: ("docker image history and <missing>", "docker image history и <missing>"),
            body: (
                "History lists one row per instruction, empty ones (0B) included. Rows of the pulled base show <missing>: those layers came from a registry, not from a local build, so there is no local image for them. With BuildKit only the final image has an id; try it switches to the classic builder, which keeps an image per step.",
                "История содержит строку на каждую инструкцию, включая пустые (0B). Строки базового образа показывают <missing>: эти слои пришли из реестра, а не из локальной сборки, поэтому локального образа для них нет. У BuildKit id есть только у итогового образа; «Попробовать» переключит на классический сборщик, который сохраняет образ на каждом шаге.",
            ),
            setup: vec![],
            try_it: vec![GuideDo::Classic],
        },
    ]
}
