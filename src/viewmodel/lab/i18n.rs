//! The lab's interface text in English and Russian (the lab "Understanding image layers" exists in
//! both). One key per string; the language comes from the browser and can be switched. It does not
//! translate Docker's own output (build logs, `docker diff`, history tables stay as Docker prints
//! them).

/// Interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Ru,
}

impl Lang {
    /// From a BCP 47 tag such as `navigator.language` (`ru-RU` → Russian, anything else English).
    pub fn from_tag(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("ru") {
            Lang::Ru
        } else {
            Lang::En
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }
}

/// Every interface string of the lab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Dockerfile,
    ContextFiles,
    Builder,
    Images,
    Containers,
    Guide,
    Share,
    Embed,
    Copied,
    Push,
    Run,
    Reset,
    Commit,
    Remove,
    StartContainer,
    Cached,
    Rebuilt,
    Base,
    ConfigOnly,
    SharedLayers,
    StoredOnce,
    StoredTwice,
    NoContainers,
    ConsolePlaceholder,
    DiffTitle,
    PsTitle,
    HistoryTitle,
    Next,
    Prev,
    TryIt,
    ExitGuide,
    StartGuide,
    Step,
    Of,
    Language,
    WhiteoutTip,
    CopyUpTip,
    RwLayerTip,
    SharedTip,
    CachedTip,
    NoDiff,
    Building,
    DropFile,
    AddFile,
    EmptyContext,
    LayerTip,
    OpenFull,
    PushEmpty,
    BuildFailed,
    Layers,
}

impl Key {
    pub fn t(self, lang: Lang) -> &'static str {
        let (en, ru) = match self {
            Key::Dockerfile => ("Dockerfile", "Dockerfile"),
            Key::ContextFiles => ("Build context", "Контекст сборки"),
            Key::Builder => ("Builder", "Сборщик"),
            Key::Images => ("Images", "Образы"),
            Key::Containers => ("Containers", "Контейнеры"),
            Key::Guide => ("Guided lab", "Лабораторная работа"),
            Key::Share => ("Share", "Поделиться"),
            Key::Embed => ("Embed", "Встроить"),
            Key::Copied => ("Copied to the clipboard:", "Скопировано в буфер обмена:"),
            Key::Push => ("docker push", "docker push"),
            Key::Run => ("Run", "Выполнить"),
            Key::Reset => ("Reset", "Сбросить"),
            Key::Commit => ("Commit", "Commit"),
            Key::Remove => ("Remove", "Удалить"),
            Key::StartContainer => ("Start a container", "Запустить контейнер"),
            Key::Cached => ("CACHED", "ИЗ КЭША"),
            Key::Rebuilt => ("rebuilt", "пересобран"),
            Key::Base => ("base", "базовый"),
            Key::ConfigOnly => ("config only", "только конфигурация"),
            Key::SharedLayers => ("shared layers", "общих слоёв"),
            Key::StoredOnce => ("stored once", "хранится один раз"),
            Key::StoredTwice => ("if stored twice", "если хранить дважды"),
            Key::NoContainers => (
                "No container yet. Start one from an image: it gets its own thin read-write layer on top of the image's read-only layers.",
                "Контейнеров пока нет. Запустите контейнер из образа: он получит свой тонкий слой для записи поверх слоёв образа, доступных только для чтения.",
            ),
            Key::ConsolePlaceholder => (
                "a shell command, e.g. echo hi > /tmp/a",
                "команда оболочки, например echo hi > /tmp/a",
            ),
            Key::DiffTitle => ("docker diff", "docker diff"),
            Key::PsTitle => ("docker ps -s", "docker ps -s"),
            Key::HistoryTitle => ("docker image history", "docker image history"),
            Key::Next => ("Next", "Далее"),
            Key::Prev => ("Back", "Назад"),
            Key::TryIt => ("Try it", "Попробовать"),
            Key::ExitGuide => ("Leave the guide", "Выйти из лабораторной"),
            Key::StartGuide => ("Start the guided lab", "Начать лабораторную работу"),
            Key::Step => ("Step", "Шаг"),
            Key::Of => ("of", "из"),
            Key::Language => ("Language", "Язык"),
            Key::WhiteoutTip => (
                "A whiteout: a marker in the read-write layer that hides a file of a lower layer. The lower file is still stored; the image does not get smaller.",
                "Whiteout — метка в слое для записи, скрывающая файл нижнего слоя. Нижний файл по-прежнему хранится: образ не становится меньше.",
            ),
            Key::CopyUpTip => (
                "Copy-up: the first write to an image file copies the whole file into the container's read-write layer, however small the change.",
                "Copy-up: первая запись в файл образа копирует весь файл в слой контейнера для записи, даже если изменение крошечное.",
            ),
            Key::RwLayerTip => (
                "The container's thin read-write layer: everything the container writes lands here; the image's layers below stay read-only and shared.",
                "Тонкий слой контейнера для записи: всё, что пишет контейнер, попадает сюда; слои образа ниже остаются только для чтения и общими.",
            ),
            Key::SharedTip => (
                "Same layer in both images: stored once on disk and pushed once to a registry.",
                "Один и тот же слой в обоих образах: хранится на диске один раз и загружается в реестр один раз.",
            ),
            Key::CachedTip => (
                "The build cache had this step with the same inputs, so Docker reused its layer instead of running it.",
                "В кэше сборки был этот шаг с теми же входными данными, поэтому Docker повторно использовал слой, не выполняя шаг.",
            ),
            Key::NoDiff => (
                "(no changes: run a command that writes a file)",
                "(изменений нет: выполните команду, которая пишет в файл)",
            ),
            Key::Building => ("Building…", "Сборка…"),
            Key::DropFile => ("Drop this file from the context", "Убрать файл из контекста"),
            Key::AddFile => ("Add file", "Добавить файл"),
            Key::EmptyContext => (
                "The build context is empty: add a file for COPY to find.",
                "Контекст сборки пуст: добавьте файл, который найдёт COPY.",
            ),
            Key::LayerTip => (
                "Select a layer to highlight the instruction that made it.",
                "Выберите слой, чтобы подсветить инструкцию, которая его создала.",
            ),
            Key::OpenFull => ("Open the full lab", "Открыть всю лабораторную"),
            Key::PushEmpty => (
                "Push an image to see which layers upload and which the registry already has.",
                "Отправьте образ, чтобы увидеть, какие слои загружаются, а какие уже есть в реестре.",
            ),
            Key::BuildFailed => ("Build failed", "Сборка не удалась"),
            Key::Layers => ("layers", "слоёв"),
        };
        match lang {
            Lang::En => en,
            Lang::Ru => ru,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_tags() {
        assert_eq!(Lang::from_tag("ru-RU"), Lang::Ru);
        assert_eq!(Lang::from_tag("RU"), Lang::Ru);
        assert_eq!(Lang::from_tag("en-US"), Lang::En);
        assert_eq!(Lang::from_tag("de"), Lang::En);
        assert_eq!(Key::Containers.t(Lang::Ru), "Контейнеры");
        assert_eq!(Key::Containers.t(Lang::En), "Containers");
    }
}
