"""Translations of the window's strings added with issue 20 (trustworthy state, long prompts, figures,
headless export, command line). fill_translations.py merges these tables into its own."""

DE = {
    " pt": " pt",
    '"%1", token id %2': "„%1“, Token-ID %2",
    "%1 (%2, %3)": "%1 (%2, %3)",
    "%1 anchors": "%1 Anker",
    "%1 to %2": "%1 bis %2",
    "%1 · %2 tokens · %3": "%1 · %2 Tokens · %3",
    "%1 × %2 cm (%3 × %4 in)": "%1 × %2 cm (%3 × %4 Zoll)",
    "%1, %2, q = %3": "%1, %2, q = %3",
    "%1: %2 · %3 · %4 examples": "%1: %2 · %3 · %4 Beispiele",
    "%1: could not be written (%2)": "%1: konnte nicht geschrieben werden (%2)",
    "%1: could not keep the previous session as %2":
        "%1: die vorherige Sitzung konnte nicht als %2 aufbewahrt werden",
    "%1: no CUDA device is available to this build": "%1: diesem Build steht kein CUDA-Gerät zur Verfügung",
    '%1: no view called "%2" (views: %3)': "%1: keine Ansicht namens „%2“ (Ansichten: %3)",
    "%1: nothing to export: run an accuracy check or a sweep first":
        "%1: nichts zu exportieren: zuerst eine Genauigkeitsprüfung oder einen Durchlauf starten",
    "(nothing)": "(nichts)",
    "--%1 %2: give a number from %3 to %4": "--%1 %2: eine Zahl von %3 bis %4 angeben",
    "--%1 %2: not a whole number": "--%1 %2: keine ganze Zahl",
    '--export %1: unknown image format "%2" (use .png, .pdf or .svg)':
        "--export %1: unbekanntes Bildformat „%2“ (.png, .pdf oder .svg verwenden)",
    "--export %1: write it as VIEW=FILE, e.g. --export heatmap=heatmap.pdf":
        "--export %1: als ANSICHT=DATEI schreiben, z. B. --export heatmap=heatmap.pdf",
    '--export %1=%2: no view called "%1" (views: %3)': "--export %1=%2: keine Ansicht namens „%1“ (Ansichten: %3)",
    "--size %1: give the width and height in pixels, each from 100 to 20000, e.g. 1600x1000":
        "--size %1: Breite und Höhe in Pixeln angeben, jeweils 100 bis 20000, z. B. 1600x1000",
    "--window-size %1: give the width and height in pixels, e.g. 1920x1200":
        "--window-size %1: Breite und Höhe in Pixeln angeben, z. B. 1920x1200",
    "1 anchor": "1 Anker",
    "<b>%1 → %2 tokens</b> after the last anchor · FLOPs −%3% for this prompt · KL(dense‖reduced) = %4":
        "<b>%1 → %2 Tokens</b> nach dem letzten Anker · FLOPs −%3 % für diesen Prompt · KL(dicht‖reduziert) = %4",
    "<b>Computed for:</b>": "<b>Berechnet für:</b>",
    "<b>No result:</b> %1": "<b>Kein Ergebnis:</b> %1",
    "<b>Out of date:</b> computed for another schedule or model (hatched). Run again for the current one.":
        "<b>Veraltet:</b> für einen anderen Zeitplan oder ein anderes Modell berechnet (schraffiert). Für den "
        "aktuellen erneut ausführen.",
    "<b>Out of date:</b> the new input failed (%1). Shown: the result for %2.":
        "<b>Veraltet:</b> die neue Eingabe schlug fehl (%1). Angezeigt: das Ergebnis für %2.",
    "<b>Out of date</b> (%1), %2 Shown: the result for %3.": "<b>Veraltet</b> (%1), %2 Angezeigt: das Ergebnis für %3.",
    '<p><b>Dense:</b> %1</p><p><b>Reduced:</b> %2</p><p style="color:#777">For this prompt with %3.</p>':
        '<p><b>Dicht:</b> %1</p><p><b>Reduziert:</b> %2</p><p style="color:#777">Für diesen Prompt mit %3.</p>',
    "A token-layer is one token passing through one layer: the layers' work. The FLOPs also count the output head, "
    "which reads the last token whatever the schedule, so they fall a little less. Click a layer to select it in "
    "every view.":
        "Eine Token-Schicht ist ein Token, das eine Schicht durchläuft: die Arbeit der Schichten. Die FLOPs zählen "
        "auch den Ausgabekopf, der unabhängig vom Zeitplan das letzte Token liest, und sinken daher etwas weniger. "
        "Eine Schicht anklicken, um sie in allen Ansichten auszuwählen.",
    "Accuracy checks need a tokenizer: choose one for this model.":
        "Genauigkeitsprüfungen brauchen einen Tokenizer: einen für dieses Modell wählen.",
    "Accuracy, dense and with %1: %2% fewer FLOPs on this task":
        "Genauigkeit, dicht und mit %1: %2 % weniger FLOPs bei dieser Aufgabe",
    "Anchor layer (keep ratio %1): %2 tokens in, %3 out; %4 merged, %5 pruned.":
        "Ankerschicht (Behaltquote %1): %2 Tokens hinein, %3 heraus; %4 verschmolzen, %5 entfernt.",
    "Cancelled; the results shown are those from before.": "Abgebrochen; angezeigt werden die Ergebnisse von vorher.",
    "Cancelling…": "Wird abgebrochen…",
    "Checkpoint folder to open (default: the bundled demo model)":
        "Zu öffnender Checkpoint-Ordner (Standard: das mitgelieferte Demo-Modell)",
    "Click a cell to select its layer and token. Mouse wheel: zoom the tokens, drag: pan, double click: all tokens. "
    "Hatched cells: the token was removed at an earlier layer.":
        "Eine Zelle anklicken wählt ihre Schicht und ihr Token. Mausrad: Tokens zoomen, Ziehen: verschieben, "
        "Doppelklick: alle Tokens. Schraffierte Zellen: das Token wurde in einer früheren Schicht entfernt.",
    "Click a token to see its merge arrows.": "Ein Token anklicken, um seine Verschmelzungspfeile zu sehen.",
    "Computed for %1": "Berechnet für %1",
    "Continuations cleared: %1. Generate them again (Ctrl+G).":
        "Fortsetzungen gelöscht: %1. Erneut erzeugen (Strg+G).",
    "Dots per inch: with the size in pixels it gives the figure's size on paper. 1050 px at 300 dpi is 3.5 inches, "
    "a single column.":
        "Punkte pro Zoll: zusammen mit der Größe in Pixeln ergibt sie die Größe der Abbildung auf Papier. 1050 px bei "
        "300 dpi sind 3,5 Zoll, eine Spalte.",
    "Export a view and quit, without a display; repeatable. VIEW: heatmap, strip, graph, tokens-per-layer, attention, "
    "importance-vs-attention, attribution, accuracy, accuracy-vs-flops. Format from FILE's extension: .png, .pdf, .svg":
        "Eine Ansicht exportieren und beenden, ohne Bildschirm; wiederholbar. ANSICHT: heatmap, strip, graph, "
        "tokens-per-layer, attention, importance-vs-attention, attribution, accuracy, accuracy-vs-flops. Format nach der "
        "Endung von DATEI: .png, .pdf, .svg",
    "FLOPs are the mean over the task's examples, so they differ from the prompt's.":
        "Die FLOPs sind der Mittelwert über die Beispiele der Aufgabe und weichen daher von denen des Prompts ab.",
    "FLOPs here: this prompt, measured pass. The schedule editor counts the same prompt analytically; an accuracy "
    "check averages over its task's examples, whose lengths differ, so its FLOPs figure differs too.":
        "FLOPs hier: dieser Prompt, gemessener Durchlauf. Der Zeitplan-Editor zählt denselben Prompt analytisch; eine "
        "Genauigkeitsprüfung mittelt über die Beispiele ihrer Aufgabe, deren Längen abweichen, daher weicht auch ihre "
        "FLOPs-Angabe ab.",
    "FLOPs reduction on the task (%)": "FLOPs-Einsparung bei der Aufgabe (%)",
    "Figures (*.png *.pdf *.svg)": "Abbildungen (*.png *.pdf *.svg)",
    "Format:": "Format:",
    "GPU %1: %2": "GPU %1: %2",
    "If you choose No, the session is kept as a backup file.":
        "Bei „Nein“ wird die Sitzung als Sicherungsdatei aufbewahrt.",
    "Interface language: en, de or zh_CN (default: the one chosen in the window, else the system's)":
        "Sprache der Oberfläche: en, de oder zh_CN (Standard: die im Fenster gewählte, sonst die des Systems)",
    "Keep ratio q at every anchor, a number from %1 to 1":
        "Behaltquote q an jedem Anker, eine Zahl von %1 bis 1",
    "Keep ratio q for every anchor: moving it sets all anchors to q. New anchors and the depth-scaled preset also "
    "get q. An anchor keeps ceil(q·N) of its N tokens (at most half go at one anchor). The slider is finer from 0.5 "
    "to 1; type any value in the field.":
        "Behaltquote q für jeden Anker: Verschieben setzt alle Anker auf q. Neue Anker und die tiefenskalierte "
        "Vorgabe erhalten ebenfalls q. Ein Anker behält ceil(q·N) seiner N Tokens (höchstens die Hälfte fällt an "
        "einem Anker weg). Der Schieber ist von 0,5 bis 1 feiner; im Feld lässt sich jeder Wert eingeben.",
    "Layer the exported strip and graph show (default: the first anchor)":
        "Schicht, die exportierter Streifen und Graph zeigen (Standard: der erste Anker)",
    "No accuracy results yet: run an accuracy check first": "Noch keine Genauigkeitsergebnisse: zuerst eine Prüfung starten",
    "No model is loaded.": "Es ist kein Modell geladen.",
    "No result yet.": "Noch kein Ergebnis.",
    "No result yet: open a model and type a prompt.": "Noch kein Ergebnis: ein Modell öffnen und einen Prompt eingeben.",
    "No result yet: type a prompt.": "Noch kein Ergebnis: einen Prompt eingeben.",
    "Off: only the arrows of the selected token (click a token). Long prompts start with this off, as all their "
    "arrows together are a tangle.":
        "Aus: nur die Pfeile des ausgewählten Tokens (ein Token anklicken). Lange Prompts beginnen damit ausgeschaltet, "
        "da alle ihre Pfeile zusammen ein Gewirr sind.",
    "On paper:": "Auf Papier:",
    "Open a model before choosing its tokenizer.": "Vor der Wahl des Tokenizers ein Modell öffnen.",
    "Out of date (another model): %1": "Veraltet (anderes Modell): %1",
    "Out of date: %1": "Veraltet: %1",
    "PDF (vector)": "PDF (Vektor)",
    "PNG (image)": "PNG (Bild)",
    "Prompt to start with (default: a sample prompt)": "Prompt zum Start (Standard: ein Beispielprompt)",
    "Reduction schedule to start with (JSON, as saved by the window or ssmlens-cli schedule)":
        "Reduktionszeitplan zum Start (JSON, wie vom Fenster oder von ssmlens-cli schedule gespeichert)",
    "Resolution of exported figures: their size on paper is pixels / dpi inches (default 96)":
        "Auflösung exportierter Abbildungen: ihre Größe auf Papier ist Pixel / dpi Zoll (Standard 96)",
    "Running the prompt…": "Der Prompt läuft…",
    "SVG (vector)": "SVG (Vektor)",
    "Same as --export heatmap=FILE": "Wie --export heatmap=DATEI",
    "Save the accuracy results shown as CSV": "Die angezeigten Genauigkeitsergebnisse als CSV speichern",
    "Save the changes to this session before quitting?": "Die Änderungen an dieser Sitzung vor dem Beenden speichern?",
    "Show every merge arrow": "Jeden Verschmelzungspfeil zeigen",
    "Size of exported figures in pixels (default 1600x1000)": "Größe exportierter Abbildungen in Pixeln (Standard 1600x1000)",
    "Size of the figure's text in points, whatever the resolution; titles are a little larger, tick labels a little "
    "smaller":
        "Schriftgröße der Abbildung in Punkt, unabhängig von der Auflösung; Titel etwas größer, Achsenbeschriftungen "
        "etwas kleiner",
    "Sweep done: %1 keep ratios of %2": "Durchlauf fertig: %1 Behaltquoten von %2",
    "Text size of exported figures in points (default 9)": "Schriftgröße exportierter Abbildungen in Punkt (Standard 9)",
    "Text size:": "Schriftgröße:",
    "The previous session was kept as %1": "Die vorherige Sitzung wurde als %1 aufbewahrt",
    "The prompt is empty.": "Der Prompt ist leer.",
    "The prompt, schedule or accuracy results changed since %1 was saved.":
        "Prompt, Zeitplan oder Genauigkeitsergebnisse haben sich geändert, seit %1 gespeichert wurde.",
    "The prompt, schedule or accuracy results were changed and never saved.":
        "Prompt, Zeitplan oder Genauigkeitsergebnisse wurden geändert und nie gespeichert.",
    "There are no accuracy results to export yet: run an accuracy check or a sweep in the Accuracy panel first.":
        "Es gibt noch keine Genauigkeitsergebnisse zum Exportieren: zuerst im Bereich Genauigkeit eine Prüfung oder "
        "einen Durchlauf starten.",
    'This model folder has no tokenizer: type token ids separated by commas, or choose a tokenizer file ("%1" is not '
    'a token id).':
        "Dieser Modellordner hat keinen Tokenizer: Token-IDs durch Kommas getrennt eingeben oder eine Tokenizer-Datei "
        "wählen („%1“ ist keine Token-ID).",
    "Token selected in the exported views (default: none)": "In den exportierten Ansichten ausgewähltes Token (Standard: keins)",
    "Tokenizer file for a checkpoint that has none (tokenizer.json or a .model)":
        "Tokenizer-Datei für einen Checkpoint ohne eigene (tokenizer.json oder eine .model-Datei)",
    "When each token leaves: a row per layer (top to bottom), a column per prompt token with its text below. Anchor "
    "layers in bold; click a row to show that layer.":
        "Wann jedes Token wegfällt: eine Zeile je Schicht (von oben nach unten), eine Spalte je Prompt-Token mit "
        "seinem Text darunter. Ankerschichten fett; eine Zeile anklicken, um diese Schicht anzuzeigen.",
    "When each token leaves: a row per layer (click to show it), a column per token":
        "Wann jedes Token wegfällt: eine Zeile je Schicht (Klick zeigt sie), eine Spalte je Token",
    "When each token leaves: a row per layer, a column per token":
        "Wann jedes Token wegfällt: eine Zeile je Schicht, eine Spalte je Token",
    "Window size for the screenshot": "Fenstergröße für das Bildschirmfoto",
    "computing…": "wird berechnet…",
    "dense (no anchors)": "dicht (keine Anker)",
    "gone: removed at an earlier layer": "nicht mehr vorhanden: in einer früheren Schicht entfernt",
    "invalid font size %1 pt (use 4 to 72)": "ungültige Schriftgröße %1 pt (4 bis 72 verwenden)",
    "invalid size %1 x %2 px at %3 dpi": "ungültige Größe %1 x %2 px bei %3 dpi",
    "no model": "kein Modell",
    "the input changed": "die Eingabe hat sich geändert",
    "the prompt changed": "der Prompt hat sich geändert",
    "the schedule changed": "der Zeitplan hat sich geändert",
    'unexpected argument "%1" (options start with --; see --help)':
        "unerwartetes Argument „%1“ (Optionen beginnen mit --; siehe --help)",
    "waiting for the new result.": "das neue Ergebnis wird erwartet.",
    "→ %1 of %2 tokens": "→ %1 von %2 Tokens",
    "→ %1 tokens": "→ %1 Tokens",
    "→ %1": "→ %1",
    "Layer every view shows after the first result (default: the first anchor)":
        "Schicht, die jede Ansicht nach dem ersten Ergebnis zeigt (Standard: der erste Anker)",
    "No prompt has run yet.": "Es ist noch kein Prompt gelaufen.",
    "Accuracy checks report the mean FLOPs of their task's examples: another number.":
        "Genauigkeitsprüfungen nennen die mittleren FLOPs der Beispiele ihrer Aufgabe: eine andere Zahl.",
    "Colour: importance ÷ layer max · hatched: removed earlier · click: select · wheel: zoom · drag: pan · double "
    "click: all tokens":
        "Farbe: Wichtigkeit ÷ Maximum der Schicht · schraffiert: früher entfernt · Klick: auswählen · Mausrad: zoomen "
        "· Ziehen: verschieben · Doppelklick: alle Tokens",
    "Tokens this anchor passes on to the next layer": "Tokens, die dieser Anker an die nächste Schicht weitergibt",
    "gone earlier": "früher entfernt",
    "merged here": "hier verschmolzen",
    "pruned here": "hier entfernt",
    "rel. importance": "rel. Wichtigkeit",
    "⟨end of text⟩": "⟨Textende⟩",
    # After the rebase on the findings work (issue 25): --method, and the scoring mode in the accuracy panel
    " · scored as the paper's evaluation": " · bewertet wie die Auswertung des Papers",
    "--method %1: not with --schedule, whose file names its method":
        "--method %1: nicht zusammen mit --schedule, dessen Datei ihr Verfahren nennt",
    "--method %1: %2": "--method %1: %2",
}

ZH = {
    " pt": " 磅",
    '"%1", token id %2': "“%1”，词元 ID %2",
    "%1 (%2, %3)": "%1（%2，%3）",
    "%1 anchors": "%1 个锚点",
    "%1 to %2": "%1 至 %2",
    "%1 · %2 tokens · %3": "%1 · %2 个词元 · %3",
    "%1 × %2 cm (%3 × %4 in)": "%1 × %2 厘米（%3 × %4 英寸）",
    "%1, %2, q = %3": "%1，%2，q = %3",
    "%1: %2 · %3 · %4 examples": "%1：%2 · %3 · %4 个样例",
    "%1: could not be written (%2)": "%1：无法写入（%2）",
    "%1: could not keep the previous session as %2": "%1：无法将上一个会话保留为 %2",
    "%1: no CUDA device is available to this build": "%1：此构建没有可用的 CUDA 设备",
    '%1: no view called "%2" (views: %3)': "%1：没有名为“%2”的视图（视图：%3）",
    "%1: nothing to export: run an accuracy check or a sweep first": "%1：没有可导出的内容：请先运行准确率检查或扫描",
    "(nothing)": "（无）",
    "--%1 %2: give a number from %3 to %4": "--%1 %2：请给出 %3 到 %4 之间的数",
    "--%1 %2: not a whole number": "--%1 %2：不是整数",
    '--export %1: unknown image format "%2" (use .png, .pdf or .svg)': "--export %1：未知图像格式“%2”（请用 .png、.pdf 或 .svg）",
    "--export %1: write it as VIEW=FILE, e.g. --export heatmap=heatmap.pdf":
        "--export %1：请写成 视图=文件，例如 --export heatmap=heatmap.pdf",
    '--export %1=%2: no view called "%1" (views: %3)': "--export %1=%2：没有名为“%1”的视图（视图：%3）",
    "--size %1: give the width and height in pixels, each from 100 to 20000, e.g. 1600x1000":
        "--size %1：请给出以像素计的宽和高，各为 100 到 20000，例如 1600x1000",
    "--window-size %1: give the width and height in pixels, e.g. 1920x1200":
        "--window-size %1：请给出以像素计的宽和高，例如 1920x1200",
    "1 anchor": "1 个锚点",
    "<b>%1 → %2 tokens</b> after the last anchor · FLOPs −%3% for this prompt · KL(dense‖reduced) = %4":
        "最后一个锚点之后 <b>%1 → %2 个词元</b> · 此提示的 FLOPs −%3% · KL(完整‖缩减) = %4",
    "<b>Computed for:</b>": "<b>计算条件：</b>",
    "<b>No result:</b> %1": "<b>无结果：</b>%1",
    "<b>Out of date:</b> computed for another schedule or model (hatched). Run again for the current one.":
        "<b>已过期：</b>按另一调度或模型计算（带阴影线）。请为当前设置重新运行。",
    "<b>Out of date:</b> the new input failed (%1). Shown: the result for %2.":
        "<b>已过期：</b>新输入失败（%1）。显示的是 %2 的结果。",
    "<b>Out of date</b> (%1), %2 Shown: the result for %3.": "<b>已过期</b>（%1），%2 显示的是 %3 的结果。",
    '<p><b>Dense:</b> %1</p><p><b>Reduced:</b> %2</p><p style="color:#777">For this prompt with %3.</p>':
        '<p><b>完整：</b>%1</p><p><b>缩减：</b>%2</p><p style="color:#777">对应此提示，%3。</p>',
    "A token-layer is one token passing through one layer: the layers' work. The FLOPs also count the output head, "
    "which reads the last token whatever the schedule, so they fall a little less. Click a layer to select it in "
    "every view.":
        "一个“词元-层”指一个词元经过一层：即各层的工作量。FLOPs 还计入输出头，无论调度如何它都读取最后一个词元，"
        "因此 FLOPs 降幅略小。点击某一层可在所有视图中选中它。",
    "Accuracy checks need a tokenizer: choose one for this model.": "准确率检查需要分词器：请为此模型选择一个。",
    "Accuracy, dense and with %1: %2% fewer FLOPs on this task": "准确率，完整与 %1：此任务上 FLOPs 减少 %2%",
    "Anchor layer (keep ratio %1): %2 tokens in, %3 out; %4 merged, %5 pruned.":
        "锚点层（保留比例 %1）：输入 %2 个词元，输出 %3 个；%4 个合并，%5 个剪除。",
    "Cancelled; the results shown are those from before.": "已取消；显示的是之前的结果。",
    "Cancelling…": "正在取消…",
    "Checkpoint folder to open (default: the bundled demo model)": "要打开的检查点文件夹（默认：随附的演示模型）",
    "Click a cell to select its layer and token. Mouse wheel: zoom the tokens, drag: pan, double click: all tokens. "
    "Hatched cells: the token was removed at an earlier layer.":
        "点击单元格选中其层和词元。鼠标滚轮：缩放词元轴，拖动：平移，双击：显示全部词元。带阴影线的单元格：该词元已在更早的层被移除。",
    "Click a token to see its merge arrows.": "点击一个词元以查看它的合并箭头。",
    "Computed for %1": "计算条件：%1",
    "Continuations cleared: %1. Generate them again (Ctrl+G).": "续写已清除：%1。请重新生成（Ctrl+G）。",
    "Dots per inch: with the size in pixels it gives the figure's size on paper. 1050 px at 300 dpi is 3.5 inches, "
    "a single column.":
        "每英寸点数：与像素尺寸一起决定图在纸上的大小。300 dpi 下 1050 像素为 3.5 英寸，即单栏宽度。",
    "Export a view and quit, without a display; repeatable. VIEW: heatmap, strip, graph, tokens-per-layer, attention, "
    "importance-vs-attention, attribution, accuracy, accuracy-vs-flops. Format from FILE's extension: .png, .pdf, .svg":
        "导出一个视图后退出，无需显示器；可重复。视图：heatmap、strip、graph、tokens-per-layer、attention、"
        "importance-vs-attention、attribution、accuracy、accuracy-vs-flops。格式取决于文件扩展名：.png、.pdf、.svg",
    "FLOPs are the mean over the task's examples, so they differ from the prompt's.":
        "FLOPs 是任务各样例的平均值，因此与提示的不同。",
    "FLOPs here: this prompt, measured pass. The schedule editor counts the same prompt analytically; an accuracy "
    "check averages over its task's examples, whose lengths differ, so its FLOPs figure differs too.":
        "此处 FLOPs：本提示，实测运行。调度编辑器按解析方式计算同一提示；准确率检查对任务中长度不同的各样例取平均，"
        "因此其 FLOPs 数值也不同。",
    "FLOPs reduction on the task (%)": "任务上的 FLOPs 减少（%）",
    "Figures (*.png *.pdf *.svg)": "图形（*.png *.pdf *.svg）",
    "Format:": "格式：",
    "GPU %1: %2": "GPU %1：%2",
    "If you choose No, the session is kept as a backup file.": "若选择“否”，该会话将保留为备份文件。",
    "Interface language: en, de or zh_CN (default: the one chosen in the window, else the system's)":
        "界面语言：en、de 或 zh_CN（默认：窗口中选择的语言，否则为系统语言）",
    "Keep ratio q at every anchor, a number from %1 to 1": "每个锚点的保留比例 q，%1 到 1 之间的数",
    "Keep ratio q for every anchor: moving it sets all anchors to q. New anchors and the depth-scaled preset also "
    "get q. An anchor keeps ceil(q·N) of its N tokens (at most half go at one anchor). The slider is finer from 0.5 "
    "to 1; type any value in the field.":
        "所有锚点的保留比例 q：移动它会把所有锚点设为 q。新锚点和按深度缩放的预设也使用 q。一个锚点保留其 N 个词元中的 "
        "ceil(q·N) 个（每个锚点最多去掉一半）。滑块在 0.5 到 1 之间更精细；也可在输入框中输入任意值。",
    "Layer the exported strip and graph show (default: the first anchor)": "导出的条带和图显示的层（默认：第一个锚点）",
    "No accuracy results yet: run an accuracy check first": "尚无准确率结果：请先运行准确率检查",
    "No model is loaded.": "尚未加载模型。",
    "No result yet.": "尚无结果。",
    "No result yet: open a model and type a prompt.": "尚无结果：请打开模型并输入提示。",
    "No result yet: type a prompt.": "尚无结果：请输入提示。",
    "Off: only the arrows of the selected token (click a token). Long prompts start with this off, as all their "
    "arrows together are a tangle.":
        "关闭：只显示所选词元的箭头（点击一个词元）。长提示默认关闭此项，因为所有箭头放在一起会乱成一团。",
    "On paper:": "纸面尺寸：",
    "Open a model before choosing its tokenizer.": "请先打开模型再选择其分词器。",
    "Out of date (another model): %1": "已过期（另一模型）：%1",
    "Out of date: %1": "已过期：%1",
    "PDF (vector)": "PDF（矢量）",
    "PNG (image)": "PNG（位图）",
    "Prompt to start with (default: a sample prompt)": "启动时的提示（默认：一个示例提示）",
    "Reduction schedule to start with (JSON, as saved by the window or ssmlens-cli schedule)":
        "启动时的缩减调度（JSON，由窗口或 ssmlens-cli schedule 保存）",
    "Resolution of exported figures: their size on paper is pixels / dpi inches (default 96)":
        "导出图形的分辨率：纸面尺寸为 像素 / dpi 英寸（默认 96）",
    "Running the prompt…": "正在运行提示…",
    "SVG (vector)": "SVG（矢量）",
    "Same as --export heatmap=FILE": "等同于 --export heatmap=文件",
    "Save the accuracy results shown as CSV": "将显示的准确率结果保存为 CSV",
    "Save the changes to this session before quitting?": "退出前保存对此会话的更改吗？",
    "Show every merge arrow": "显示所有合并箭头",
    "Size of exported figures in pixels (default 1600x1000)": "导出图形的像素尺寸（默认 1600x1000）",
    "Size of the figure's text in points, whatever the resolution; titles are a little larger, tick labels a little "
    "smaller":
        "图中文字的磅值，与分辨率无关；标题略大，刻度标签略小",
    "Sweep done: %1 keep ratios of %2": "扫描完成：%2 的 %1 个保留比例",
    "Text size of exported figures in points (default 9)": "导出图形的文字磅值（默认 9）",
    "Text size:": "文字大小：",
    "The previous session was kept as %1": "上一个会话已保留为 %1",
    "The prompt is empty.": "提示为空。",
    "The prompt, schedule or accuracy results changed since %1 was saved.": "自 %1 保存以来，提示、调度或准确率结果已更改。",
    "The prompt, schedule or accuracy results were changed and never saved.": "提示、调度或准确率结果已更改且从未保存。",
    "There are no accuracy results to export yet: run an accuracy check or a sweep in the Accuracy panel first.":
        "尚无可导出的准确率结果：请先在准确率面板中运行检查或扫描。",
    'This model folder has no tokenizer: type token ids separated by commas, or choose a tokenizer file ("%1" is not '
    'a token id).':
        "此模型文件夹没有分词器：请输入以逗号分隔的词元 ID，或选择一个分词器文件（“%1”不是词元 ID）。",
    "Token selected in the exported views (default: none)": "导出视图中选中的词元（默认：无）",
    "Tokenizer file for a checkpoint that has none (tokenizer.json or a .model)":
        "为没有分词器的检查点指定分词器文件（tokenizer.json 或 .model 文件）",
    "When each token leaves: a row per layer (top to bottom), a column per prompt token with its text below. Anchor "
    "layers in bold; click a row to show that layer.":
        "每个词元何时离开：每层一行（自上而下），每个提示词元一列，其文本在下方。锚点层为粗体；点击一行以显示该层。",
    "When each token leaves: a row per layer (click to show it), a column per token":
        "每个词元何时离开：每层一行（点击以显示该层），每个词元一列",
    "When each token leaves: a row per layer, a column per token":
        "每个词元何时离开：每层一行，每个词元一列",
    "Window size for the screenshot": "截图时的窗口尺寸",
    "computing…": "正在计算…",
    "dense (no anchors)": "完整（无锚点）",
    "gone: removed at an earlier layer": "已不存在：在更早的层被移除",
    "invalid font size %1 pt (use 4 to 72)": "无效的字号 %1 磅（请用 4 到 72）",
    "invalid size %1 x %2 px at %3 dpi": "无效的尺寸 %1 x %2 像素，%3 dpi",
    "no model": "无模型",
    "the input changed": "输入已更改",
    "the prompt changed": "提示已更改",
    "the schedule changed": "调度已更改",
    'unexpected argument "%1" (options start with --; see --help)': "意外的参数“%1”（选项以 -- 开头；参见 --help）",
    "waiting for the new result.": "正在等待新结果。",
    "→ %1 of %2 tokens": "→ %2 个词元中剩 %1 个",
    "→ %1 tokens": "→ %1 个词元",
    "→ %1": "→ %1",
    "Layer every view shows after the first result (default: the first anchor)": "首个结果之后各视图显示的层（默认：第一个锚点）",
    "No prompt has run yet.": "尚未运行任何提示。",
    "Accuracy checks report the mean FLOPs of their task's examples: another number.": "准确率检查给出的是其任务样例的平均 FLOPs：另一个数值。",
    "Colour: importance ÷ layer max · hatched: removed earlier · click: select · wheel: zoom · drag: pan · double "
    "click: all tokens":
        "颜色：重要性 ÷ 该层最大值 · 阴影线：已在更早的层移除 · 单击：选择 · 滚轮：缩放 · 拖动：平移 · 双击：全部词元",
    "Tokens this anchor passes on to the next layer": "此锚点传给下一层的词元数",
    "gone earlier": "更早已移除",
    "merged here": "在此合并",
    "pruned here": "在此剪除",
    "rel. importance": "相对重要性",
    "⟨end of text⟩": "⟨文本结束⟩",
    # After the rebase on the findings work (issue 25): --method, and the scoring mode in the accuracy panel
    " · scored as the paper's evaluation": " · 按论文的评测评分",
    "--method %1: not with --schedule, whose file names its method": "--method %1：不能与 --schedule 同用，其文件已指明方法",
    "--method %1: %2": "--method %1：%2",
}
