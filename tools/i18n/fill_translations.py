#!/usr/bin/env python3
"""Fills translations/ssmlens_<lang>.ts from the tables below after `lupdate` added new strings.

Usage (from the repo root):
    /usr/lib/qt6/bin/lupdate -I . -locations none app/gui widgets -ts translations/ssmlens_de.ts translations/ssmlens_zh_CN.ts -no-obsolete
    python3 tools/i18n/fill_translations.py        # exits 1 and lists what is missing
Strings are matched exactly; a source without an entry is reported, so a new tr() cannot ship untranslated.
"""
import sys
import xml.etree.ElementTree as ET

DE = {
    "kept": "behalten",
    "merged": "verschmolzen",
    "pruned": "entfernt",
    "gone (removed earlier)": "nicht mehr vorhanden (früher entfernt)",
    "importance ÷ layer maximum": "Wichtigkeit ÷ Maximum der Schicht",
    "merged at this layer": "in dieser Schicht verschmolzen",
    "pruned at this layer": "in dieser Schicht entfernt",
    "token (position in the prompt)": "Token (Position im Prompt)",
    "layer": "Schicht",
    "layer %1, token %2 %3": "Schicht %1, Token %2 %3",
    "importance %1": "Wichtigkeit %1",
    "into token %1": "in Token %1",
    "(%1% of channels)": "(%1% der Kanäle)",
    "best match: token %1, cosine %2": "ähnlichstes Token: %1, Kosinus %2",
    "SSM Lens": "SSM Lens",
    "Main": "Haupt",
    "Open model…": "Modell öffnen…",
    "Open a Mamba-2 checkpoint folder (state-spaces or Hugging Face layout)":
        "Einen Mamba-2-Checkpoint-Ordner öffnen (Layout von state-spaces oder Hugging Face)",
    "Export heatmap…": "Heatmap exportieren…",
    "Ctrl+E": "Ctrl+E",
    "Save the importance heatmap as PNG, PDF or SVG": "Die Wichtigkeits-Heatmap als PNG, PDF oder SVG speichern",
    "Save schedule…": "Zeitplan speichern…",
    "Load schedule…": "Zeitplan laden…",
    "No model loaded": "Kein Modell geladen",
    "Model:": "Modell:",
    "Type or paste a prompt": "Prompt eingeben oder einfügen",
    "Prompt:": "Prompt:",
    "Token reduction method (utr: the paper's unified prune-and-merge)":
        "Verfahren der Token-Reduktion (utr: das vereinte Entfernen und Verschmelzen aus dem Paper)",
    "Method:": "Verfahren:",
    "Share of tokens each anchor layer keeps": "Anteil der Tokens, den jede Ankerschicht behält",
    "Keep ratio:": "Behaltquote:",
    "Effect:": "Wirkung:",
    "dense": "dicht",
    "p": "p",
    "reduced": "reduziert",
    "Next token:": "Nächstes Token:",
    "q = %1 at every anchor": "q = %1 an jedem Anker",
    "Open a model folder to begin": "Zum Beginnen einen Modellordner öffnen",
    "Loading %1…": "%1 wird geladen…",
    "%1\n%2\n%3 M parameters, %4 on %5%6": "%1\n%2\n%3 Mio. Parameter, %4 auf %5%6",
    "\nno tokenizer: type token ids": "\nkein Tokenizer: Token-IDs eingeben",
    "Model loaded": "Modell geladen",
    "%1 → %2 tokens after the last anchor\nFLOPs −%3%\nKL(dense‖reduced) = %4":
        "%1 → %2 Tokens nach dem letzten Anker\nFLOPs −%3%\nKL(dicht‖reduziert) = %4",
    "token id %1": "Token-ID %1",
    "dense %1 ms, reduced %2 ms": "dicht %1 ms, reduziert %2 ms",
    "Open a Mamba-2 checkpoint folder": "Einen Mamba-2-Checkpoint-Ordner öffnen",
    "Export heatmap": "Heatmap exportieren",
    "Images (*.png *.pdf *.svg)": "Bilder (*.png *.pdf *.svg)",
    "Save schedule": "Zeitplan speichern",
    "JSON (*.json)": "JSON (*.json)",
    "Load schedule": "Zeitplan laden",
    "SSM Lens: see what token reduction does inside a Mamba-2 model":
        "SSM Lens: sehen, was Token-Reduktion in einem Mamba-2-Modell bewirkt",
    "Checkpoint folder to open": "Zu öffnender Checkpoint-Ordner",
    "Prompt to start with": "Prompt zum Start",
    "Keep ratio at every anchor": "Behaltquote an jedem Anker",
    "Save a screenshot of the window after the first result, then quit":
        "Nach dem ersten Ergebnis ein Bildschirmfoto des Fensters speichern und beenden",
    "Export the heatmap after the first result, then quit": "Nach dem ersten Ergebnis die Heatmap exportieren und beenden",
    '%1: unknown image format "%2" (use .png, .pdf or .svg)': '%1: unbekanntes Bildformat „%2" (.png, .pdf oder .svg verwenden)',
    "%1: could not be written": "%1: konnte nicht geschrieben werden",
    "Tokens entering each layer": "Tokens, die in jede Schicht eingehen",
    "with reduction": "mit Reduktion",
    "anchor (reduces after this layer)": "Anker (reduziert nach dieser Schicht)",
    "tokens": "Tokens",
    "Tokens entering each layer: %1% fewer token-layers, %2% fewer FLOPs":
        "Tokens je Schicht: %1% weniger Token-Schichten, %2% weniger FLOPs",
    "Accuracy: dense and reduced": "Genauigkeit: dicht und reduziert",
    "accuracy (%)": "Genauigkeit (%)",
    "task and metric": "Aufgabe und Metrik",
    "Accuracy": "Genauigkeit",
    "%1 (bundled sample)": "%1 (mitgelieferte Stichprobe)",
    "Choose a data file…": "Datendatei wählen…",
    "Zero-shot task, scored as lm-evaluation-harness does": "Zero-Shot-Aufgabe, bewertet wie in lm-evaluation-harness",
    "Task:": "Aufgabe:",
    "all": "alle",
    "Score only the first N examples (0: all)": "Nur die ersten N Beispiele bewerten (0: alle)",
    "Examples:": "Beispiele:",
    "Run dense and reduced": "Dicht und reduziert ausführen",
    "Ctrl+R": "Ctrl+R",
    "Cancel": "Abbrechen",
    "Progress:": "Fortschritt:",
    "Open a model first": "Zuerst ein Modell öffnen",
    "Choose a task file (lambada_test.jsonl, valid.jsonl, ...)": "Aufgabendatei wählen (lambada_test.jsonl, valid.jsonl, …)",
    "Scoring %1…": "%1 wird bewertet…",
    "Accuracy, dense and with %1 (q = %2): %3% fewer FLOPs": "Genauigkeit, dicht und mit %1 (q = %2): %3% weniger FLOPs",
    "%1: %2 examples; %3 could not be scored under reduction": "%1: %2 Beispiele; %3 unter Reduktion nicht bewertbar",
    "accuracy check cancelled": "Genauigkeitsprüfung abgebrochen",
    "Run the accuracy check on the first bundled sample after the first result":
        "Nach dem ersten Ergebnis die Genauigkeitsprüfung mit der ersten mitgelieferten Stichprobe ausführen",
}

ZH = {
    "kept": "保留",
    "merged": "已合并",
    "pruned": "已剪除",
    "gone (removed earlier)": "已不存在（在更早的层被移除）",
    "importance ÷ layer maximum": "重要性 ÷ 该层最大值",
    "merged at this layer": "在此层合并",
    "pruned at this layer": "在此层剪除",
    "token (position in the prompt)": "词元（在提示中的位置）",
    "layer": "层",
    "layer %1, token %2 %3": "第 %1 层，词元 %2 %3",
    "importance %1": "重要性 %1",
    "into token %1": "并入词元 %1",
    "(%1% of channels)": "（%1% 的通道）",
    "best match: token %1, cosine %2": "最佳匹配：词元 %1，余弦 %2",
    "SSM Lens": "SSM Lens",
    "Main": "主工具栏",
    "Open model…": "打开模型…",
    "Open a Mamba-2 checkpoint folder (state-spaces or Hugging Face layout)":
        "打开 Mamba-2 检查点文件夹（state-spaces 或 Hugging Face 布局）",
    "Export heatmap…": "导出热力图…",
    "Ctrl+E": "Ctrl+E",
    "Save the importance heatmap as PNG, PDF or SVG": "将重要性热力图保存为 PNG、PDF 或 SVG",
    "Save schedule…": "保存调度…",
    "Load schedule…": "加载调度…",
    "No model loaded": "未加载模型",
    "Model:": "模型：",
    "Type or paste a prompt": "输入或粘贴提示",
    "Prompt:": "提示：",
    "Token reduction method (utr: the paper's unified prune-and-merge)":
        "词元缩减方法（utr：论文中统一的剪除与合并）",
    "Method:": "方法：",
    "Share of tokens each anchor layer keeps": "每个锚点层保留的词元比例",
    "Keep ratio:": "保留比例：",
    "Effect:": "效果：",
    "dense": "完整",
    "p": "p",
    "reduced": "缩减后",
    "Next token:": "下一个词元：",
    "q = %1 at every anchor": "每个锚点 q = %1",
    "Open a model folder to begin": "打开一个模型文件夹以开始",
    "Loading %1…": "正在加载 %1…",
    "%1\n%2\n%3 M parameters, %4 on %5%6": "%1\n%2\n%3 M 参数，%4，运行于 %5%6",
    "\nno tokenizer: type token ids": "\n无分词器：请输入词元 ID",
    "Model loaded": "模型已加载",
    "%1 → %2 tokens after the last anchor\nFLOPs −%3%\nKL(dense‖reduced) = %4":
        "最后一个锚点后 %1 → %2 个词元\nFLOPs −%3%\nKL(完整‖缩减) = %4",
    "token id %1": "词元 ID %1",
    "dense %1 ms, reduced %2 ms": "完整 %1 ms，缩减 %2 ms",
    "Open a Mamba-2 checkpoint folder": "打开 Mamba-2 检查点文件夹",
    "Export heatmap": "导出热力图",
    "Images (*.png *.pdf *.svg)": "图像 (*.png *.pdf *.svg)",
    "Save schedule": "保存调度",
    "JSON (*.json)": "JSON (*.json)",
    "Load schedule": "加载调度",
    "SSM Lens: see what token reduction does inside a Mamba-2 model": "SSM Lens：查看词元缩减在 Mamba-2 模型内部的作用",
    "Checkpoint folder to open": "要打开的检查点文件夹",
    "Prompt to start with": "初始提示",
    "Keep ratio at every anchor": "每个锚点的保留比例",
    "Save a screenshot of the window after the first result, then quit": "得到第一个结果后保存窗口截图并退出",
    "Export the heatmap after the first result, then quit": "得到第一个结果后导出热力图并退出",
    '%1: unknown image format "%2" (use .png, .pdf or .svg)': "%1：未知的图像格式“%2”（请使用 .png、.pdf 或 .svg）",
    "%1: could not be written": "%1：无法写入",
    "Tokens entering each layer": "进入各层的词元数",
    "with reduction": "缩减后",
    "anchor (reduces after this layer)": "锚点（在此层之后缩减）",
    "tokens": "词元",
    "Tokens entering each layer: %1% fewer token-layers, %2% fewer FLOPs": "进入各层的词元数：词元·层减少 %1%，FLOPs 减少 %2%",
    "Accuracy: dense and reduced": "准确率：完整与缩减",
    "accuracy (%)": "准确率（%）",
    "task and metric": "任务与指标",
    "Accuracy": "准确率",
    "%1 (bundled sample)": "%1（内置样例）",
    "Choose a data file…": "选择数据文件…",
    "Zero-shot task, scored as lm-evaluation-harness does": "零样本任务，按 lm-evaluation-harness 的方式评分",
    "Task:": "任务：",
    "all": "全部",
    "Score only the first N examples (0: all)": "只评估前 N 个样例（0：全部）",
    "Examples:": "样例：",
    "Run dense and reduced": "运行完整与缩减",
    "Ctrl+R": "Ctrl+R",
    "Cancel": "取消",
    "Progress:": "进度：",
    "Open a model first": "请先打开模型",
    "Choose a task file (lambada_test.jsonl, valid.jsonl, ...)": "选择任务文件（lambada_test.jsonl、valid.jsonl 等）",
    "Scoring %1…": "正在评估 %1…",
    "Accuracy, dense and with %1 (q = %2): %3% fewer FLOPs": "准确率，完整与 %1（q = %2）：FLOPs 减少 %3%",
    "%1: %2 examples; %3 could not be scored under reduction": "%1：%2 个样例；%3 个在缩减下无法评分",
    "accuracy check cancelled": "准确率检查已取消",
    "Run the accuracy check on the first bundled sample after the first result": "得到第一个结果后，用第一个内置样例运行准确率检查",
}


def fill(path, table):
    tree = ET.parse(path)
    missing = []
    for message in tree.getroot().iter("message"):
        source = message.find("source").text
        translation = message.find("translation")
        if source in table:
            translation.text = table[source]
            translation.attrib.pop("type", None)  # no longer "unfinished"
        else:
            missing.append(source)
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return missing


if __name__ == "__main__":
    problems = 0
    for lang, table in (("de", DE), ("zh_CN", ZH)):
        missing = fill(f"translations/ssmlens_{lang}.ts", table)
        for m in missing:
            print(f"ssmlens_{lang}.ts: no translation for {m!r}")
        problems += len(missing)
    sys.exit(1 if problems else 0)
