<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="de_DE">
<context>
    <name>QApplication</name>
    <message>
        <source>SSM Lens: see what token reduction does inside a Mamba-2 model</source>
        <translation>SSM Lens: sehen, was Token-Reduktion in einem Mamba-2-Modell bewirkt</translation>
    </message>
    <message>
        <source>Checkpoint folder to open</source>
        <translation>Zu öffnender Checkpoint-Ordner</translation>
    </message>
    <message>
        <source>Prompt to start with</source>
        <translation>Prompt zum Start</translation>
    </message>
    <message>
        <source>Keep ratio at every anchor</source>
        <translation>Behaltquote an jedem Anker</translation>
    </message>
    <message>
        <source>Save a screenshot of the window after the first result, then quit</source>
        <translation>Nach dem ersten Ergebnis ein Bildschirmfoto des Fensters speichern und beenden</translation>
    </message>
    <message>
        <source>Export the heatmap after the first result, then quit</source>
        <translation>Nach dem ersten Ergebnis die Heatmap exportieren und beenden</translation>
    </message>
    <message>
        <source>Run the accuracy check on the first bundled sample after the first result</source>
        <translation>Nach dem ersten Ergebnis die Genauigkeitsprüfung mit der ersten mitgelieferten Stichprobe ausführen</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>%1: unknown image format "%2" (use .png, .pdf or .svg)</source>
        <translation>%1: unbekanntes Bildformat „%2" (.png, .pdf oder .svg verwenden)</translation>
    </message>
    <message>
        <source>%1: could not be written</source>
        <translation>%1: konnte nicht geschrieben werden</translation>
    </message>
</context>
<context>
    <name>ssmlens::AccuracyBars</name>
    <message>
        <source>Accuracy: dense and reduced</source>
        <translation>Genauigkeit: dicht und reduziert</translation>
    </message>
    <message>
        <source>dense</source>
        <translation>dicht</translation>
    </message>
    <message>
        <source>with reduction</source>
        <translation>mit Reduktion</translation>
    </message>
    <message>
        <source>accuracy (%)</source>
        <translation>Genauigkeit (%)</translation>
    </message>
    <message>
        <source>task and metric</source>
        <translation>Aufgabe und Metrik</translation>
    </message>
</context>
<context>
    <name>ssmlens::ImportanceHeatmap</name>
    <message>
        <source>kept</source>
        <translation>behalten</translation>
    </message>
    <message>
        <source>merged</source>
        <translation>verschmolzen</translation>
    </message>
    <message>
        <source>pruned</source>
        <translation>entfernt</translation>
    </message>
    <message>
        <source>gone (removed earlier)</source>
        <translation>nicht mehr vorhanden (früher entfernt)</translation>
    </message>
    <message>
        <source>importance ÷ layer maximum</source>
        <translation>Wichtigkeit ÷ Maximum der Schicht</translation>
    </message>
    <message>
        <source>merged at this layer</source>
        <translation>in dieser Schicht verschmolzen</translation>
    </message>
    <message>
        <source>pruned at this layer</source>
        <translation>in dieser Schicht entfernt</translation>
    </message>
    <message>
        <source>token (position in the prompt)</source>
        <translation>Token (Position im Prompt)</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>layer %1, token %2 %3</source>
        <translation>Schicht %1, Token %2 %3</translation>
    </message>
    <message>
        <source>importance %1</source>
        <translation>Wichtigkeit %1</translation>
    </message>
    <message>
        <source>into token %1</source>
        <translation>in Token %1</translation>
    </message>
    <message>
        <source>(%1% of channels)</source>
        <translation>(%1% der Kanäle)</translation>
    </message>
    <message>
        <source>best match: token %1, cosine %2</source>
        <translation>ähnlichstes Token: %1, Kosinus %2</translation>
    </message>
</context>
<context>
    <name>ssmlens::MainWindow</name>
    <message>
        <source>SSM Lens</source>
        <translation>SSM Lens</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Haupt</translation>
    </message>
    <message>
        <source>Open model…</source>
        <translation>Modell öffnen…</translation>
    </message>
    <message>
        <source>Open a Mamba-2 checkpoint folder (state-spaces or Hugging Face layout)</source>
        <translation>Einen Mamba-2-Checkpoint-Ordner öffnen (Layout von state-spaces oder Hugging Face)</translation>
    </message>
    <message>
        <source>Export heatmap…</source>
        <translation>Heatmap exportieren…</translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <source>Save the importance heatmap as PNG, PDF or SVG</source>
        <translation>Die Wichtigkeits-Heatmap als PNG, PDF oder SVG speichern</translation>
    </message>
    <message>
        <source>Save schedule…</source>
        <translation>Zeitplan speichern…</translation>
    </message>
    <message>
        <source>Load schedule…</source>
        <translation>Zeitplan laden…</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>Kein Modell geladen</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>Modell:</translation>
    </message>
    <message>
        <source>Type or paste a prompt</source>
        <translation>Prompt eingeben oder einfügen</translation>
    </message>
    <message>
        <source>Prompt:</source>
        <translation>Prompt:</translation>
    </message>
    <message>
        <source>Token reduction method (utr: the paper's unified prune-and-merge)</source>
        <translation>Verfahren der Token-Reduktion (utr: das vereinte Entfernen und Verschmelzen aus dem Paper)</translation>
    </message>
    <message>
        <source>Method:</source>
        <translation>Verfahren:</translation>
    </message>
    <message>
        <source>Share of tokens each anchor layer keeps</source>
        <translation>Anteil der Tokens, den jede Ankerschicht behält</translation>
    </message>
    <message>
        <source>Keep ratio:</source>
        <translation>Behaltquote:</translation>
    </message>
    <message>
        <source>Effect:</source>
        <translation>Wirkung:</translation>
    </message>
    <message>
        <source>dense</source>
        <translation>dicht</translation>
    </message>
    <message>
        <source>p</source>
        <translation>p</translation>
    </message>
    <message>
        <source>reduced</source>
        <translation>reduziert</translation>
    </message>
    <message>
        <source>Next token:</source>
        <translation>Nächstes Token:</translation>
    </message>
    <message>
        <source>q = %1 at every anchor</source>
        <translation>q = %1 an jedem Anker</translation>
    </message>
    <message>
        <source>Open a model folder to begin</source>
        <translation>Zum Beginnen einen Modellordner öffnen</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>%1 wird geladen…</translation>
    </message>
    <message>
        <source>%1
%2
%3 M parameters, %4 on %5%6</source>
        <translation>%1
%2
%3 Mio. Parameter, %4 auf %5%6</translation>
    </message>
    <message>
        <source>
no tokenizer: type token ids</source>
        <translation>
kein Tokenizer: Token-IDs eingeben</translation>
    </message>
    <message>
        <source>Model loaded</source>
        <translation>Modell geladen</translation>
    </message>
    <message>
        <source>%1 → %2 tokens after the last anchor
FLOPs −%3%
KL(dense‖reduced) = %4</source>
        <translation>%1 → %2 Tokens nach dem letzten Anker
FLOPs −%3%
KL(dicht‖reduziert) = %4</translation>
    </message>
    <message>
        <source>token id %1</source>
        <translation>Token-ID %1</translation>
    </message>
    <message>
        <source>dense %1 ms, reduced %2 ms</source>
        <translation>dicht %1 ms, reduziert %2 ms</translation>
    </message>
    <message>
        <source>Open a Mamba-2 checkpoint folder</source>
        <translation>Einen Mamba-2-Checkpoint-Ordner öffnen</translation>
    </message>
    <message>
        <source>Export heatmap</source>
        <translation>Heatmap exportieren</translation>
    </message>
    <message>
        <source>Images (*.png *.pdf *.svg)</source>
        <translation>Bilder (*.png *.pdf *.svg)</translation>
    </message>
    <message>
        <source>Save schedule</source>
        <translation>Zeitplan speichern</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Load schedule</source>
        <translation>Zeitplan laden</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <source>%1 (bundled sample)</source>
        <translation>%1 (mitgelieferte Stichprobe)</translation>
    </message>
    <message>
        <source>Choose a data file…</source>
        <translation>Datendatei wählen…</translation>
    </message>
    <message>
        <source>Zero-shot task, scored as lm-evaluation-harness does</source>
        <translation>Zero-Shot-Aufgabe, bewertet wie in lm-evaluation-harness</translation>
    </message>
    <message>
        <source>Task:</source>
        <translation>Aufgabe:</translation>
    </message>
    <message>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <source>Score only the first N examples (0: all)</source>
        <translation>Nur die ersten N Beispiele bewerten (0: alle)</translation>
    </message>
    <message>
        <source>Examples:</source>
        <translation>Beispiele:</translation>
    </message>
    <message>
        <source>Run dense and reduced</source>
        <translation>Dicht und reduziert ausführen</translation>
    </message>
    <message>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Progress:</source>
        <translation>Fortschritt:</translation>
    </message>
    <message>
        <source>Open a model first</source>
        <translation>Zuerst ein Modell öffnen</translation>
    </message>
    <message>
        <source>Choose a task file (lambada_test.jsonl, valid.jsonl, ...)</source>
        <translation>Aufgabendatei wählen (lambada_test.jsonl, valid.jsonl, …)</translation>
    </message>
    <message>
        <source>Scoring %1…</source>
        <translation>%1 wird bewertet…</translation>
    </message>
    <message>
        <source>Accuracy, dense and with %1 (q = %2): %3% fewer FLOPs</source>
        <translation>Genauigkeit, dicht und mit %1 (q = %2): %3% weniger FLOPs</translation>
    </message>
    <message>
        <source>%1: %2 examples; %3 could not be scored under reduction</source>
        <translation>%1: %2 Beispiele; %3 unter Reduktion nicht bewertbar</translation>
    </message>
</context>
<context>
    <name>ssmlens::ReductionWorker</name>
    <message>
        <source>accuracy check cancelled</source>
        <translation>Genauigkeitsprüfung abgebrochen</translation>
    </message>
</context>
<context>
    <name>ssmlens::TokensPerLayerPlot</name>
    <message>
        <source>Tokens entering each layer</source>
        <translation>Tokens, die in jede Schicht eingehen</translation>
    </message>
    <message>
        <source>dense</source>
        <translation>dicht</translation>
    </message>
    <message>
        <source>with reduction</source>
        <translation>mit Reduktion</translation>
    </message>
    <message>
        <source>anchor (reduces after this layer)</source>
        <translation>Anker (reduziert nach dieser Schicht)</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>Tokens entering each layer: %1% fewer token-layers, %2% fewer FLOPs</source>
        <translation>Tokens je Schicht: %1% weniger Token-Schichten, %2% weniger FLOPs</translation>
    </message>
</context>
</TS>