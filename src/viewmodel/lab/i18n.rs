//! The page's interface text in English and Russian (the lab "Understanding image layers" exists
//! in both): the lab, the explore view, the header and the status bar. One key per string; strings with `{}` take
//! arguments in order (`Key::f`). The language comes from the browser and can be switched. It
//! does not translate Docker's own output (build logs, `docker diff`, history tables stay as
//! Docker prints them), nor the archive reader's error details. The explore view's keys start
//! with `Ex`; its sentences built from data are in `viewmodel::explore::text`.

use crate::viewmodel::Status;

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
    Tagline,
    ViewSwitch,
    ViewLab,
    ViewExplore,
    OpenFile,
    StatusReady,
    StatusReceived,
    StatusUnsupported,
    StatusLoaded,
    StatusReadFailed,
    StatusLabFailed,
    StatusLabRestarted,
    StatusLinkUnreadable,
    BuildKitTip,
    ClassicTip,
    Classic,
    Files,
    CopyUpEvent,
    WhiteoutEvent,
    RwLabel,
    RoStack,
    WhiteoutMark,
    DiagError,
    DiagWarning,
    CommitTip,
    CommittedFrom,
    RemoveImage,
    SameLayerAs,
    StoredApart,
    BaseLayerTip,
    DropContextHint,
    TooBig,
    DropHint,
    DropPrivacy,
    ExImagesEmpty,
    ExAlsoTagged,
    ExPlatformPickTip,
    ExCompareTip,
    ExCompare,
    ExComparing,
    ExOtherPlatforms,
    ExLoadedImages,
    ExLayerTitle,
    ExEmptyStepTip,
    ExNoHistoryEntry,
    ExLayerStack,
    ExBaseImageLayers,
    ExBaseImage,
    ExHistoryAnalysis,
    ExTabHistory,
    ExTabAnalysis,
    ExTabCompare,
    ExAdded,
    ExModified,
    ExDeleted,
    ExUnchanged,
    ExFileTree,
    ExFileTreeLayer,
    ExTreeEmpty,
    ExFromLayer,
    ExHidesLayer,
    ExLayerShort,
    ExLayerShortTip,
    ExTreeShows,
    ExModeChanges,
    ExModeMerged,
    ExShowChangeTypes,
    ExSearchPlaceholder,
    ExSearchPaths,
    ExSort,
    ExSortBy,
    ExSortSize,
    ExSortName,
    ExFiles,
    ExPending,
    ExNoMatch,
    ExDetailsHint,
    ExDirBelow,
    ExPath,
    ExType,
    ExMode,
    ExOwner,
    ExSize,
    ExModified2,
    ExLinkTo,
    ExLayer,
    ExDeletedBy,
    ExFromLayerHiding,
    ExFromLayerPlain,
    ExPreviewBtn,
    ExReading,
    ExHexCut,
    ExKindFile,
    ExKindDir,
    ExKindSymlink,
    ExKindHardlink,
    ExKindChar,
    ExKindBlock,
    ExKindFifo,
    ExMissingTip,
    ExHistoryEmpty,
    ExNoUserLayers,
    ExAnalysisEmpty,
    ExAnalysing,
    ExWasted,
    ExShared,
    ExEfficiency,
    ExWastedBytes,
    ExUserWasted,
    ExDiveVsOurs,
    ExMostWasteful,
    ExNoWaste,
    ExLayerSharing,
    ExCompareEmpty,
    ExCompareWaiting,
    ExLayerSize,
    ExSharedLayers,
    ExPathsDiffer,
    ExProgress,
    ExProgressLayersOf,
    ExProgressLayers,
    ExCancel,
    ExLoadError,
    ExPartlyRead,
    ExReadBefore,
    ExRead,
    ExCancelled,
    ExTheArchive,
    ExWrote,
    ExFateKept,
    ExFateShadowed,
    ExFateDeleted,
    ExHowRewritten,
    ExHowWhiteoutOf,
    ExHowOpaque,
    ExHowReplaced,
    ExHowNotVisible,
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
            Key::Commit => ("Commit", "Зафиксировать (commit)"),
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
            Key::Tagline => (
                "Container image layers, explained — entirely in your browser.",
                "Слои образов контейнеров с объяснениями — целиком в вашем браузере.",
            ),
            Key::ViewSwitch => ("View", "Вид"),
            Key::ViewLab => ("Lab", "Лаборатория"),
            Key::ViewExplore => ("Explore archives", "Обзор архивов"),
            Key::OpenFile => ("Open archive or Dockerfile…", "Открыть архив или Dockerfile…"),
            Key::StatusReady => (
                "Ready. Drop an image archive (.tar, .tar.gz, .tgz) or a Dockerfile anywhere on the page.",
                "Готово. Перетащите архив образа (.tar, .tar.gz, .tgz) или Dockerfile в любое место страницы.",
            ),
            Key::StatusReceived => ("Received {}.", "Получено: {}."),
            Key::StatusUnsupported => (
                "Not an image archive or a Dockerfile: {}. Expected .tar, .tar.gz, .tgz or a Dockerfile.",
                "Не архив образа и не Dockerfile: {}. Ожидается .tar, .tar.gz, .tgz или Dockerfile.",
            ),
            Key::StatusLoaded => ("Loaded Dockerfile {} ({} lines).", "Загружен Dockerfile {} (строк: {})."),
            Key::StatusReadFailed => ("Could not read {}: {}", "Не удалось прочитать {}: {}"),
            Key::StatusLabRestarted => (
                "The lab simulator stopped ({}) and was started again with your Dockerfiles and context; containers, commits and pushes were lost.",
                "Симулятор лаборатории остановился ({}) и запущен снова с вашими Dockerfile и контекстом; контейнеры, коммиты и push потеряны.",
            ),
            Key::StatusLabFailed => (
                "The lab simulator stopped ({}). The editors still work; reload the page to start it again.",
                "Симулятор лаборатории остановился ({}). Редакторы работают; перезагрузите страницу, чтобы запустить его снова.",
            ),
            Key::StatusLinkUnreadable => (
                "The link's state could not be read ({}); showing the seed lab.",
                "Состояние из ссылки не удалось прочитать ({}); показана исходная лабораторная.",
            ),
            Key::BuildKitTip => ("BuildKit (default since Docker 23)", "BuildKit (по умолчанию с Docker 23)"),
            Key::ClassicTip => (
                "DOCKER_BUILDKIT=0: an image per step, CMD is a step",
                "DOCKER_BUILDKIT=0: образ на каждый шаг, CMD — тоже шаг",
            ),
            Key::Classic => ("classic", "классический"),
            Key::Files => ("files", "файлов"),
            Key::CopyUpEvent => ("copy-up {} ← layer {} ({})", "copy-up {} ← слой {} ({})"),
            Key::WhiteoutEvent => ("whiteout {} (hides layer {})", "whiteout {} (скрывает слой {})"),
            Key::RwLabel => ("read-write · {}", "слой для записи · {}"),
            Key::RoStack => ("{} · {} read-only layers", "{} · слоёв только для чтения: {}"),
            Key::WhiteoutMark => ("{} (whiteout)", "{} (whiteout)"),
            Key::DiagError => ("error", "ошибка"),
            Key::DiagWarning => ("warning", "предупреждение"),
            Key::CommitTip => (
                "docker commit: a new image made of this container's image and one more layer, its read-write layer",
                "docker commit: новый образ из образа контейнера и ещё одного слоя — его слоя для записи",
            ),
            Key::CommittedFrom => ("docker commit of a container of {}", "docker commit контейнера из {}"),
            Key::RemoveImage => ("Remove this image", "Удалить этот образ"),
            Key::SameLayerAs => ("the same layer as in {}: stored once", "тот же слой, что в {}: хранится один раз"),
            Key::StoredApart => ("if each image stored its own", "если бы каждый образ хранил свои"),
            Key::DropContextHint => (
                "Drop text files here to add them to the build context (or replace one of the same name).",
                "Перетащите сюда текстовые файлы, чтобы добавить их в контекст сборки (или заменить файл с тем же именем).",
            ),
            Key::TooBig => ("larger than {} KiB", "больше {} КиБ"),
            Key::DropHint => (
                "Drop image archives (.tar, .tar.gz, .tgz) or a Dockerfile",
                "Перетащите архивы образов (.tar, .tar.gz, .tgz) или Dockerfile",
            ),
            Key::DropPrivacy => (
                "Nothing leaves your machine: files are read locally.",
                "Ничего не покидает ваш компьютер: файлы читаются локально.",
            ),
            Key::BaseLayerTip => (
                "A layer of the base image (FROM): every image built FROM it reuses it.",
                "Слой базового образа (FROM): его повторно используют все образы, собранные FROM него.",
            ),
            Key::ExImagesEmpty => (
                "Drop one or several image archives (docker save, OCI, .tar.gz) anywhere on the page, or use “{}”. They are read here, in your browser; nothing is uploaded.",
                "Перетащите один или несколько архивов образов (docker save, OCI, .tar.gz) в любое место страницы или нажмите «{}». Они читаются здесь, в вашем браузере: ничего никуда не загружается.",
            ),
            Key::ExAlsoTagged => (
                "also tagged ",
                "другие теги: ",
            ),
            Key::ExPlatformPickTip => (
                "Read the {} image of this archive too",
                "Прочитать из этого архива и образ для {}",
            ),
            Key::ExCompareTip => (
                "Compare with the selected image",
                "Сравнить с выбранным образом",
            ),
            Key::ExCompare => (
                "Compare",
                "Сравнить",
            ),
            Key::ExComparing => (
                "Comparing",
                "Сравнивается",
            ),
            Key::ExOtherPlatforms => (
                "Other platforms in this archive: ",
                "Другие платформы в этом архиве: ",
            ),
            Key::ExLoadedImages => (
                "Loaded images",
                "Загруженные образы",
            ),
            Key::ExLayerTitle => (
                "layer {}: {}",
                "слой {}: {}",
            ),
            Key::ExEmptyStepTip => (
                "{} (no layer: metadata only)",
                "{} (без слоя: только метаданные)",
            ),
            Key::ExNoHistoryEntry => (
                "layer {} (no history entry)",
                "слой {} (нет записи в истории)",
            ),
            Key::ExLayerStack => (
                "Layer stack",
                "Стек слоёв",
            ),
            Key::ExBaseImageLayers => (
                "base image layers",
                "слои базового образа",
            ),
            Key::ExBaseImage => (
                "base image",
                "базовый образ",
            ),
            Key::ExHistoryAnalysis => (
                "History & analysis",
                "История и анализ",
            ),
            Key::ExTabHistory => (
                "History",
                "История",
            ),
            Key::ExTabAnalysis => (
                "Analysis",
                "Анализ",
            ),
            Key::ExTabCompare => (
                "Compare",
                "Сравнение",
            ),
            Key::ExAdded => (
                "Added",
                "Добавлено",
            ),
            Key::ExModified => (
                "Modified",
                "Изменено",
            ),
            Key::ExDeleted => (
                "Deleted",
                "Удалено",
            ),
            Key::ExUnchanged => (
                "Unchanged",
                "Без изменений",
            ),
            Key::ExFileTree => (
                "File tree",
                "Дерево файлов",
            ),
            Key::ExFileTreeLayer => (
                "File tree — layer {}",
                "Дерево файлов — слой {}",
            ),
            Key::ExTreeEmpty => (
                "Select a layer to see what it added, changed and deleted, or the merged file system a container sees.",
                "Выберите слой, чтобы увидеть, что он добавил, изменил и удалил, или объединённую файловую систему, которую видит контейнер.",
            ),
            Key::ExFromLayer => (
                "(from layer {})",
                "(из слоя {})",
            ),
            Key::ExHidesLayer => (
                "(hides layer {})",
                "(скрывает слой {})",
            ),
            Key::ExLayerShort => (
                "L{}",
                "сл. {}",
            ),
            Key::ExLayerShortTip => (
                "the layer this path comes from",
                "слой, из которого взят этот путь",
            ),
            Key::ExTreeShows => (
                "Tree shows",
                "Что показывает дерево",
            ),
            Key::ExModeChanges => (
                "Changes in this layer",
                "Изменения в этом слое",
            ),
            Key::ExModeMerged => (
                "Merged view up to it",
                "Объединённый вид до этого слоя",
            ),
            Key::ExShowChangeTypes => (
                "Show change types",
                "Какие изменения показывать",
            ),
            Key::ExSearchPlaceholder => (
                "Search paths (text or glob: *.so, /etc/*)",
                "Поиск путей (текст или шаблон: *.so, /etc/*)",
            ),
            Key::ExSearchPaths => (
                "Search paths",
                "Поиск путей",
            ),
            Key::ExSort => (
                "Sort",
                "Сортировать по",
            ),
            Key::ExSortBy => (
                "Sort by",
                "Сортировать по",
            ),
            Key::ExSortSize => (
                "size",
                "размеру",
            ),
            Key::ExSortName => (
                "name",
                "имени",
            ),
            Key::ExFiles => (
                "Files",
                "Файлы",
            ),
            Key::ExPending => (
                "Working out the changes of this layer…",
                "Вычисляются изменения этого слоя…",
            ),
            Key::ExNoMatch => (
                "No paths match.",
                "Подходящих путей нет.",
            ),
            Key::ExDetailsHint => (
                "Select a path for its details and a preview. Keys: ↑ ↓ move, → ← open and close, Enter select.",
                "Выберите путь, чтобы увидеть его свойства и содержимое. Клавиши: ↑ ↓ — перемещение, → ← — раскрыть и свернуть, Enter — выбрать.",
            ),
            Key::ExDirBelow => (
                " — directory, {} below",
                " — каталог, внутри {}",
            ),
            Key::ExPath => (
                "Path",
                "Путь",
            ),
            Key::ExType => (
                "Type",
                "Тип",
            ),
            Key::ExMode => (
                "Mode",
                "Права",
            ),
            Key::ExOwner => (
                "Owner",
                "Владелец",
            ),
            Key::ExSize => (
                "Size",
                "Размер",
            ),
            Key::ExModified2 => (
                "Modified",
                "Изменён",
            ),
            Key::ExLinkTo => (
                "Link to",
                "Ссылается на",
            ),
            Key::ExLayer => (
                "Layer",
                "Слой",
            ),
            Key::ExDeletedBy => (
                "deleted by layer {} (the copy from layer {} is hidden, still stored)",
                "удалён слоем {} (копия из слоя {} скрыта, но по-прежнему хранится)",
            ),
            Key::ExFromLayerHiding => (
                "from layer {}, hiding the copy from layer {}",
                "из слоя {}, скрывает копию из слоя {}",
            ),
            Key::ExFromLayerPlain => (
                "from layer {}",
                "из слоя {}",
            ),
            Key::ExPreviewBtn => (
                "Preview (first 1 MB)",
                "Показать содержимое (до 1 MB)",
            ),
            Key::ExReading => (
                "Reading…",
                "Чтение…",
            ),
            Key::ExHexCut => (
                "Hex dump cut at 64 KiB.",
                "Шестнадцатеричный дамп обрезан на 64 KiB.",
            ),
            Key::ExKindFile => (
                "file",
                "файл",
            ),
            Key::ExKindDir => (
                "dir",
                "каталог",
            ),
            Key::ExKindSymlink => (
                "symlink",
                "символическая ссылка",
            ),
            Key::ExKindHardlink => (
                "hardlink",
                "жёсткая ссылка",
            ),
            Key::ExKindChar => (
                "char",
                "символьное устройство",
            ),
            Key::ExKindBlock => (
                "block",
                "блочное устройство",
            ),
            Key::ExKindFifo => (
                "fifo",
                "именованный канал",
            ),
            Key::ExMissingTip => (
                "<missing>: Docker shows an IMAGE id only for the image itself. The rows below it are steps of its build whose intermediate images are not on this machine (they came with a pulled base image or were built elsewhere), so there is no local id to print. The layers are all there.",
                "<missing>: Docker показывает IMAGE id только для самого образа. Строки ниже — шаги его сборки, промежуточных образов которых на этой машине нет (они пришли со скачанным базовым образом или собраны в другом месте), поэтому выводить нечего: локального id нет. Сами слои все на месте.",
            ),
            Key::ExHistoryEmpty => (
                "`docker image history` of a loaded image appears here, exactly as Docker prints it.",
                "Здесь появится `docker image history` загруженного образа — в точности как его выводит Docker.",
            ),
            Key::ExNoUserLayers => (
                "n/a (no user layers)",
                "н/д (пользовательских слоёв нет)",
            ),
            Key::ExAnalysisEmpty => (
                "Load an image to see where space is wasted.",
                "Загрузите образ, чтобы увидеть, где место тратится впустую.",
            ),
            Key::ExAnalysing => (
                "Analysing…",
                "Анализ…",
            ),
            Key::ExWasted => (
                " — {} wasted",
                " — впустую {}",
            ),
            Key::ExShared => (
                ": {} of {} layers shared ({})",
                ": общих слоёв — {} из {} ({})",
            ),
            Key::ExEfficiency => (
                "Efficiency",
                "Эффективность",
            ),
            Key::ExWastedBytes => (
                "Wasted bytes",
                "Потрачено впустую",
            ),
            Key::ExUserWasted => (
                "User wasted",
                "Доля потерь в пользовательских слоях",
            ),
            Key::ExDiveVsOurs => (
                "dive counts every copy of a path stored more than once, the visible one too, and treats only layer 0 as the base. layerscope counts only copies nobody sees, and treats the first {} as the base image.",
                "dive учитывает каждую копию пути, хранящегося больше одного раза, включая видимую, и считает базой только слой 0. layerscope учитывает только копии, которых никто не видит, и относит к базовому образу {} снизу.",
            ),
            Key::ExMostWasteful => (
                "Most wasteful paths",
                "Пути с наибольшими потерями",
            ),
            Key::ExNoWaste => (
                "No wasted copies.",
                "Лишних копий нет.",
            ),
            Key::ExLayerSharing => (
                "Layer sharing",
                "Общие слои",
            ),
            Key::ExCompareEmpty => (
                "Load two images and press “{}” on the second one in the image list.",
                "Загрузите два образа и нажмите «{}» у второго из них в списке образов.",
            ),
            Key::ExCompareWaiting => (
                "Working out the layers' changes…",
                "Вычисляются изменения слоёв…",
            ),
            Key::ExLayerSize => (
                "layer {} · {}",
                "слой {} · {}",
            ),
            Key::ExSharedLayers => (
                "{} shared layer(s)",
                "общих слоёв: {}",
            ),
            Key::ExPathsDiffer => (
                "{} paths differ",
                "различающихся путей: {}",
            ),
            Key::ExProgress => (
                "Reading {} — {} of {}{}",
                "Чтение {} — {} из {}{}",
            ),
            Key::ExProgressLayersOf => (
                ", {} of {} layers",
                ", слоёв: {} из {}",
            ),
            Key::ExProgressLayers => (
                ", {} layers",
                ", слоёв: {}",
            ),
            Key::ExCancel => (
                "Cancel",
                "Отмена",
            ),
            Key::ExLoadError => (
                "Could not read {}",
                "Не удалось прочитать {}",
            ),
            Key::ExPartlyRead => (
                "Could not read all of {}: {}{}",
                "Не удалось прочитать {} полностью: {}{}",
            ),
            Key::ExReadBefore => (
                " ({} image(s) read before it)",
                " (до ошибки прочитано образов: {})",
            ),
            Key::ExRead => (
                "Read {}: {}.",
                "Прочитан {}: {}.",
            ),
            Key::ExCancelled => (
                "Cancelled reading {}.",
                "Чтение {} отменено.",
            ),
            Key::ExTheArchive => (
                "the archive",
                "архив",
            ),
            Key::ExWrote => (
                "layer {} wrote {} ({})",
                "слой {} записал {} ({})",
            ),
            Key::ExFateKept => (
                "kept",
                "эта копия видна",
            ),
            Key::ExFateShadowed => (
                "shadowed by layer {}",
                "перекрыт слоем {}",
            ),
            Key::ExFateDeleted => (
                "deleted by layer {}, {}",
                "удалён слоем {}, {}",
            ),
            Key::ExHowRewritten => (
                "rewritten",
                "перезаписан",
            ),
            Key::ExHowWhiteoutOf => (
                "whiteout of {}",
                "whiteout для {}",
            ),
            Key::ExHowOpaque => (
                "opaque directory {}",
                "непрозрачный (opaque) каталог {}",
            ),
            Key::ExHowReplaced => (
                "{} replaced by a non-directory",
                "на месте {} теперь не каталог",
            ),
            Key::ExHowNotVisible => (
                "not visible",
                "не виден",
            ),
        };
        match lang {
            Lang::En => en,
            Lang::Ru => ru,
        }
    }
}

impl Key {
    /// The string with each `{}` replaced by the next argument.
    pub fn f(self, lang: Lang, args: &[&str]) -> String {
        let mut out = String::new();
        let mut rest = self.t(lang);
        let mut args = args.iter();
        while let Some(i) = rest.find("{}") {
            out.push_str(&rest[..i]);
            out.push_str(args.next().copied().unwrap_or(""));
            rest = &rest[i + 2..];
        }
        out.push_str(rest);
        out
    }
}

impl Lang {
    /// `n` and its noun in the plural form `n` needs: English one/other, Russian one (1, 21,
    /// …), few (2–4, 22–24, …) and many (0, 5–20, 25, …).
    pub fn plural(self, n: usize, en: [&str; 2], ru: [&str; 3]) -> String {
        let word = match self {
            Lang::En if n == 1 => en[0],
            Lang::En => en[1],
            Lang::Ru => match (n % 10, n % 100) {
                (1, r) if r != 11 => ru[0],
                (2..=4, r) if !(12..=14).contains(&r) => ru[1],
                _ => ru[2],
            },
        };
        format!("{n} {word}")
    }
    /// "N layers" with the plural form the language needs (Russian has three).
    pub fn layers(self, n: usize) -> String {
        self.plural(n, ["layer", "layers"], ["слой", "слоя", "слоёв"])
    }
    /// "N rows" (of the file tree).
    pub fn rows(self, n: usize) -> String {
        self.plural(n, ["row", "rows"], ["строка", "строки", "строк"])
    }
    /// "N bytes".
    pub fn bytes(self, n: u64) -> String {
        // The last two digits choose the form (kept apart from 1 itself past 100).
        let form_of = if n < 100 { n } else { 100 + n % 100 };
        let p = self.plural(
            form_of as usize,
            ["byte", "bytes"],
            ["байт", "байта", "байт"],
        );
        format!("{n} {}", p.split_once(' ').map_or("", |(_, w)| w))
    }
}

impl Status {
    /// The status bar's text in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Status::Ready => Key::StatusReady.t(lang).to_string(),
            Status::Received(names) => Key::StatusReceived.f(lang, &[&names.join(", ")]),
            Status::Unsupported(names) => Key::StatusUnsupported.f(lang, &[&names.join(", ")]),
            Status::LoadedDockerfile { name, lines } => {
                Key::StatusLoaded.f(lang, &[name, &lines.to_string()])
            }
            Status::ReadFailed { name, message } => Key::StatusReadFailed.f(lang, &[name, message]),
            Status::LabFailed(why) => Key::StatusLabFailed.f(lang, &[why]),
            Status::LabRestarted(why) => Key::StatusLabRestarted.f(lang, &[why]),
            Status::LinkUnreadable(why) => Key::StatusLinkUnreadable.f(lang, &[why]),
            Status::Explore(note) => note.text(lang),
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

    #[test]
    fn layer_counts_agree() {
        let ru: Vec<String> = [1, 2, 5, 7, 11, 12, 21, 22, 25, 111, 104]
            .iter()
            .map(|&n| Lang::Ru.layers(n))
            .collect();
        assert_eq!(
            ru,
            [
                "1 слой",
                "2 слоя",
                "5 слоёв",
                "7 слоёв",
                "11 слоёв",
                "12 слоёв",
                "21 слой",
                "22 слоя",
                "25 слоёв",
                "111 слоёв",
                "104 слоя"
            ]
        );
        assert_eq!(Lang::En.layers(1), "1 layer");
        assert_eq!(Lang::En.layers(7), "7 layers");
    }

    #[test]
    fn arguments_fill_in_order() {
        assert_eq!(
            Key::CopyUpEvent.f(Lang::En, &["/app.py", "6", "24 B"]),
            "copy-up /app.py ← layer 6 (24 B)"
        );
        assert_eq!(
            Key::CopyUpEvent.f(Lang::Ru, &["/app.py", "6", "24 B"]),
            "copy-up /app.py ← слой 6 (24 B)"
        );
        assert_eq!(
            Status::LoadedDockerfile {
                name: "Dockerfile".into(),
                lines: 3
            }
            .text(Lang::Ru),
            "Загружен Dockerfile Dockerfile (строк: 3)."
        );
    }

    const ALL: &[Key] = &[
        Key::Dockerfile,
        Key::ContextFiles,
        Key::Builder,
        Key::Images,
        Key::Containers,
        Key::Guide,
        Key::Share,
        Key::Embed,
        Key::Copied,
        Key::Push,
        Key::Run,
        Key::Reset,
        Key::Commit,
        Key::Remove,
        Key::StartContainer,
        Key::Cached,
        Key::Rebuilt,
        Key::Base,
        Key::ConfigOnly,
        Key::SharedLayers,
        Key::StoredOnce,
        Key::StoredTwice,
        Key::NoContainers,
        Key::ConsolePlaceholder,
        Key::DiffTitle,
        Key::PsTitle,
        Key::HistoryTitle,
        Key::Next,
        Key::Prev,
        Key::TryIt,
        Key::ExitGuide,
        Key::StartGuide,
        Key::Step,
        Key::Of,
        Key::Language,
        Key::WhiteoutTip,
        Key::CopyUpTip,
        Key::RwLayerTip,
        Key::SharedTip,
        Key::CachedTip,
        Key::NoDiff,
        Key::Building,
        Key::DropFile,
        Key::AddFile,
        Key::EmptyContext,
        Key::LayerTip,
        Key::OpenFull,
        Key::PushEmpty,
        Key::BuildFailed,
        Key::Layers,
        Key::Tagline,
        Key::ViewSwitch,
        Key::ViewLab,
        Key::ViewExplore,
        Key::OpenFile,
        Key::StatusReady,
        Key::StatusReceived,
        Key::StatusUnsupported,
        Key::StatusLoaded,
        Key::StatusReadFailed,
        Key::StatusLabFailed,
        Key::StatusLabRestarted,
        Key::StatusLinkUnreadable,
        Key::BuildKitTip,
        Key::ClassicTip,
        Key::Classic,
        Key::Files,
        Key::CopyUpEvent,
        Key::WhiteoutEvent,
        Key::RwLabel,
        Key::RoStack,
        Key::WhiteoutMark,
        Key::DiagError,
        Key::DiagWarning,
        Key::CommitTip,
        Key::CommittedFrom,
        Key::RemoveImage,
        Key::SameLayerAs,
        Key::StoredApart,
        Key::BaseLayerTip,
        Key::DropContextHint,
        Key::TooBig,
        Key::DropHint,
        Key::DropPrivacy,
        Key::ExImagesEmpty,
        Key::ExAlsoTagged,
        Key::ExPlatformPickTip,
        Key::ExCompareTip,
        Key::ExCompare,
        Key::ExComparing,
        Key::ExOtherPlatforms,
        Key::ExLoadedImages,
        Key::ExLayerTitle,
        Key::ExEmptyStepTip,
        Key::ExNoHistoryEntry,
        Key::ExLayerStack,
        Key::ExBaseImageLayers,
        Key::ExBaseImage,
        Key::ExHistoryAnalysis,
        Key::ExTabHistory,
        Key::ExTabAnalysis,
        Key::ExTabCompare,
        Key::ExAdded,
        Key::ExModified,
        Key::ExDeleted,
        Key::ExUnchanged,
        Key::ExFileTree,
        Key::ExFileTreeLayer,
        Key::ExTreeEmpty,
        Key::ExFromLayer,
        Key::ExHidesLayer,
        Key::ExLayerShort,
        Key::ExLayerShortTip,
        Key::ExTreeShows,
        Key::ExModeChanges,
        Key::ExModeMerged,
        Key::ExShowChangeTypes,
        Key::ExSearchPlaceholder,
        Key::ExSearchPaths,
        Key::ExSort,
        Key::ExSortBy,
        Key::ExSortSize,
        Key::ExSortName,
        Key::ExFiles,
        Key::ExPending,
        Key::ExNoMatch,
        Key::ExDetailsHint,
        Key::ExDirBelow,
        Key::ExPath,
        Key::ExType,
        Key::ExMode,
        Key::ExOwner,
        Key::ExSize,
        Key::ExModified2,
        Key::ExLinkTo,
        Key::ExLayer,
        Key::ExDeletedBy,
        Key::ExFromLayerHiding,
        Key::ExFromLayerPlain,
        Key::ExPreviewBtn,
        Key::ExReading,
        Key::ExHexCut,
        Key::ExKindFile,
        Key::ExKindDir,
        Key::ExKindSymlink,
        Key::ExKindHardlink,
        Key::ExKindChar,
        Key::ExKindBlock,
        Key::ExKindFifo,
        Key::ExMissingTip,
        Key::ExHistoryEmpty,
        Key::ExNoUserLayers,
        Key::ExAnalysisEmpty,
        Key::ExAnalysing,
        Key::ExWasted,
        Key::ExShared,
        Key::ExEfficiency,
        Key::ExWastedBytes,
        Key::ExUserWasted,
        Key::ExDiveVsOurs,
        Key::ExMostWasteful,
        Key::ExNoWaste,
        Key::ExLayerSharing,
        Key::ExCompareEmpty,
        Key::ExCompareWaiting,
        Key::ExLayerSize,
        Key::ExSharedLayers,
        Key::ExPathsDiffer,
        Key::ExProgress,
        Key::ExProgressLayersOf,
        Key::ExProgressLayers,
        Key::ExCancel,
        Key::ExLoadError,
        Key::ExPartlyRead,
        Key::ExReadBefore,
        Key::ExRead,
        Key::ExCancelled,
        Key::ExTheArchive,
        Key::ExWrote,
        Key::ExFateKept,
        Key::ExFateShadowed,
        Key::ExFateDeleted,
        Key::ExHowRewritten,
        Key::ExHowWhiteoutOf,
        Key::ExHowOpaque,
        Key::ExHowReplaced,
        Key::ExHowNotVisible,
    ];

    /// Every key has both texts, the same `{}` slots in both, and Russian text is not the
    /// English one unless it is a Docker term or command.
    #[test]
    fn every_key_is_translated() {
        let same_ok = ["Dockerfile", "docker ", "Commit", "(whiteout)"];
        for k in ALL {
            let (en, ru) = (k.t(Lang::En), k.t(Lang::Ru));
            assert!(!en.is_empty() && !ru.is_empty(), "{k:?}");
            assert_eq!(en.matches("{}").count(), ru.matches("{}").count(), "{k:?}");
            if en == ru {
                assert!(
                    same_ok.iter().any(|s| en.contains(s)),
                    "{k:?} untranslated: {en}"
                );
            }
        }
    }
}
