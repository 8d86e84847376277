<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="de_DE">
<context>
    <name>QObject</name>
    <message>
        <source>--export %1=%2: no view called "%1" (views: %3)</source>
        <translation>--export %1=%2: keine Ansicht namens „%1“ (Ansichten: %3)</translation>
    </message>
</context>
<context>
    <name>SamplePrompts</name>
    <message>
        <source>Genesis (King James Bible)</source>
        <translation>Genesis (King-James-Bibel)</translation>
    </message>
    <message>
        <source>A dictionary definition</source>
        <translation>Eine Wörterbuchdefinition</translation>
    </message>
    <message>
        <source>Linux documentation</source>
        <translation>Linux-Dokumentation</translation>
    </message>
    <message>
        <source>A repeated name (long)</source>
        <translation>Ein wiederholter Name (lang)</translation>
    </message>
</context>
<context>
    <name>ssmlens::AboutDialog</name>
    <message>
        <source>CPU threads: %1</source>
        <translation>CPU-Threads: %1</translation>
    </message>
    <message>
        <source>CUDA: no GPU available</source>
        <translation>CUDA: keine GPU verfügbar</translation>
    </message>
    <message>
        <source>CUDA GPU %1: %2</source>
        <translation>CUDA-GPU %1: %2</translation>
    </message>
    <message>
        <source>See what token reduction does inside a Mamba-2 language model.</source>
        <translation>Sehen, was Token-Reduktion in einem Mamba-2-Sprachmodell bewirkt.</translation>
    </message>
    <message>
        <source>Qt %1 (built with %2)&lt;br&gt;libtorch %3</source>
        <translation>Qt %1 (erstellt mit %2)&lt;br&gt;libtorch %3</translation>
    </message>
    <message>
        <source>Built around the methods of Zhan et al., “Rethinking Token Reduction for State Space Models”, EMNLP 2024.</source>
        <translation>Aufgebaut auf den Verfahren von Zhan et al., „Rethinking Token Reduction for State Space Models“, EMNLP 2024.</translation>
    </message>
    <message>
        <source>Qt is used under the GNU LGPL v3, libtorch under the PyTorch BSD-style licence.</source>
        <translation>Qt wird unter der GNU LGPL v3 verwendet, libtorch unter der BSD-artigen Lizenz von PyTorch.</translation>
    </message>
    <message>
        <source>About SSM Lens</source>
        <translation>Über SSM Lens</translation>
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
    <message>
        <source>No results yet: run the accuracy check</source>
        <translation>Noch keine Ergebnisse: die Genauigkeitsprüfung ausführen</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>Out of date: %1</source>
        <translation>Veraltet: %1</translation>
    </message>
</context>
<context>
    <name>ssmlens::AccuracyPanel</name>
    <message>
        <source>Choose a data file…</source>
        <translation>Datendatei wählen…</translation>
    </message>
    <message>
        <source>Zero-shot task, scored as lm-evaluation-harness v0.4 does</source>
        <translation>Zero-Shot-Aufgabe, bewertet wie in lm-evaluation-harness v0.4</translation>
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
        <source>Score the task with the dense model and with the current schedule (Ctrl+R)</source>
        <translation>Die Aufgabe mit dem dichten Modell und mit dem aktuellen Zeitplan bewerten (Ctrl+R)</translation>
    </message>
    <message>
        <source>Sweep</source>
        <translation>Sweep</translation>
    </message>
    <message>
        <source>Score keep ratios 1.0 to 0.5 (depth-scaled schedules of the current method) for the accuracy-against-FLOPs plot</source>
        <translation>Behaltquoten 1.0 bis 0.5 bewerten (tiefenskalierte Zeitpläne des aktuellen Verfahrens), für das Diagramm Genauigkeit gegen FLOPs</translation>
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
        <source>Dense vs reduced</source>
        <translation>Dicht vs. reduziert</translation>
    </message>
    <message>
        <source>Accuracy vs FLOPs</source>
        <translation>Genauigkeit vs. FLOPs</translation>
    </message>
    <message>
        <source>Open a model first</source>
        <translation>Zuerst ein Modell öffnen</translation>
    </message>
    <message>
        <source>Choose a task file (lambada_test.jsonl, hellaswag_val.jsonl, valid.jsonl, ARC-*.jsonl, dev.jsonl)</source>
        <translation>Aufgabendatei wählen (lambada_test.jsonl, hellaswag_val.jsonl, valid.jsonl, ARC-*.jsonl, dev.jsonl)</translation>
    </message>
    <message>
        <source>%1: the task is not clear from the file name; rename it as distributed (e.g. lambada_test.jsonl)</source>
        <translation>%1: Die Aufgabe geht aus dem Dateinamen nicht hervor; die Datei wie im Original benennen (z. B. lambada_test.jsonl)</translation>
    </message>
    <message>
        <source>Scoring %1…</source>
        <translation>%1 wird bewertet…</translation>
    </message>
    <message>
        <source>Sweeping %1 over keep ratios 1.0 to 0.5…</source>
        <translation>Sweep von %1 über die Behaltquoten 1.0 bis 0.5…</translation>
    </message>
    <message>
        <source>%1: %2 examples; %3 could not be scored under reduction</source>
        <translation>%1: %2 Beispiele; %3 unter Reduktion nicht bewertbar</translation>
    </message>
    <message>
        <source>%1: cannot write (%2)</source>
        <translation>%1: kann nicht geschrieben werden (%2)</translation>
    </message>
    <message>
        <source>How the reduced pass is read. Correct scoring takes the log-probabilities of the positions that predict the answer; the paper's evaluation (lm-evaluation-harness over the authors' code) pads batches of 96 and slices the shortened output as if it had kept its length, so it can read other positions (counted as misread).</source>
        <translation>Wie der reduzierte Durchlauf gelesen wird. Die korrekte Bewertung nimmt die Log-Wahrscheinlichkeiten der Positionen, die die Antwort vorhersagen; die Auswertung des Papers (lm-evaluation-harness über dem Code der Autoren) füllt Stapel von 96 auf und schneidet die verkürzte Ausgabe, als hätte sie ihre Länge behalten, und kann so andere Positionen lesen (als falsch gelesen gezählt).</translation>
    </message>
    <message>
        <source>Scoring:</source>
        <translation>Bewertung:</translation>
    </message>
    <message>
        <source>%1: %2 examples, scored as the paper's evaluation; %3 requests read other positions than those that predict the answer</source>
        <translation>%1: %2 Beispiele, bewertet wie die Auswertung des Papers; %3 Anfragen lasen andere Positionen als die, die die Antwort vorhersagen</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <source>Cancelled; the results shown are those from before.</source>
        <translation>Abgebrochen; angezeigt werden die Ergebnisse von vorher.</translation>
    </message>
    <message>
        <source>Accuracy, dense and with %1: %2% fewer FLOPs on this task</source>
        <translation>Genauigkeit, dicht und mit %1: %2 % weniger FLOPs bei dieser Aufgabe</translation>
    </message>
    <message>
        <source>%1: %2 · %3 · %4 examples</source>
        <translation>%1: %2 · %3 · %4 Beispiele</translation>
    </message>
    <message>
        <source>&lt;b&gt;Out of date:&lt;/b&gt; computed for another schedule or model (hatched). Run again for the current one.</source>
        <translation>&lt;b&gt;Veraltet:&lt;/b&gt; für einen anderen Zeitplan oder ein anderes Modell berechnet (schraffiert). Für den aktuellen erneut ausführen.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Computed for:&lt;/b&gt;</source>
        <translation>&lt;b&gt;Berechnet für:&lt;/b&gt;</translation>
    </message>
    <message>
        <source>FLOPs are the mean over the task's examples, so they differ from the prompt's.</source>
        <translation>Die FLOPs sind der Mittelwert über die Beispiele der Aufgabe und weichen daher von denen des Prompts ab.</translation>
    </message>
    <message>
        <source>Sweep done: %1 keep ratios of %2</source>
        <translation>Durchlauf fertig: %1 Behaltquoten von %2</translation>
    </message>
    <message>
        <source>%1: nothing to export: run an accuracy check or a sweep first</source>
        <translation>%1: nichts zu exportieren: zuerst eine Genauigkeitsprüfung oder einen Durchlauf starten</translation>
    </message>
    <message>
        <source> · scored as the paper's evaluation</source>
        <translation> · bewertet wie die Auswertung des Papers</translation>
    </message>
    <message>
        <source>%1 (demo model)</source>
        <translation>%1 (Demo-Modell)</translation>
    </message>
    <message>
        <source>The demo model's held-out set of %1: text it was not trained on</source>
        <translation>Held-out-Set des Demo-Modells für %1: Text, auf dem es nicht trainiert wurde</translation>
    </message>
    <message>
        <source>%1 (tiny sample)</source>
        <translation>%1 (kleine Stichprobe)</translation>
    </message>
    <message>
        <source>A tiny sample of %1 bundled with SSM Lens: a quick check, not a measurement</source>
        <translation>Eine kleine, mit SSM Lens gelieferte Stichprobe von %1: eine schnelle Prüfung, keine Messung</translation>
    </message>
    <message>
        <source>A task file of your own in its JSONL form (lambada_test.jsonl, hellaswag_val.jsonl, valid.jsonl, ARC-*.jsonl, dev.jsonl)</source>
        <translation>Eine eigene Aufgabendatei im JSONL-Format (lambada_test.jsonl, hellaswag_val.jsonl, valid.jsonl, ARC-*.jsonl, dev.jsonl)</translation>
    </message>
    <message>
        <source>Correct</source>
        <translation>Korrekt</translation>
    </message>
    <message>
        <source>Correct: each answer position is found among the tokens that survive the reduction, and its log-probability is read there.</source>
        <translation>Korrekt: Jede Antwortposition wird unter den Tokens gesucht, die die Reduktion überstehen, und ihre Log-Wahrscheinlichkeit dort gelesen.</translation>
    </message>
    <message>
        <source>As in the paper</source>
        <translation>Wie im Paper</translation>
    </message>
    <message>
        <source>As the paper's evaluation: positions are counted from the end of the shortened output as if it had kept its length, so other positions can be read (counted as misread).</source>
        <translation>Wie die Auswertung des Papers: Positionen werden vom Ende der verkürzten Ausgabe gezählt, als hätte sie ihre Länge behalten, sodass andere Positionen gelesen werden können (als falsch gelesen gezählt).</translation>
    </message>
</context>
<context>
    <name>ssmlens::AccuracySweepPlot</name>
    <message>
        <source>Accuracy against FLOPs reduction (depth-scaled schedules)</source>
        <translation>Genauigkeit gegen FLOPs-Einsparung (tiefenskalierte Zeitpläne)</translation>
    </message>
    <message>
        <source>accuracy (%)</source>
        <translation>Genauigkeit (%)</translation>
    </message>
    <message>
        <source>current schedule (%1)</source>
        <translation>aktueller Zeitplan (%1)</translation>
    </message>
    <message>
        <source>Out of date (another model): %1</source>
        <translation>Veraltet (anderes Modell): %1</translation>
    </message>
    <message>
        <source>FLOPs reduction on the task (%)</source>
        <translation>FLOPs-Einsparung bei der Aufgabe (%)</translation>
    </message>
</context>
<context>
    <name>ssmlens::AppCommandLine</name>
    <message>
        <source>SSM Lens: see what token reduction does inside a Mamba-2 model</source>
        <translation>SSM Lens: sehen, was Token-Reduktion in einem Mamba-2-Modell bewirkt</translation>
    </message>
    <message>
        <source>Checkpoint folder to open (default: the bundled demo model)</source>
        <translation>Zu öffnender Checkpoint-Ordner (Standard: das mitgelieferte Demo-Modell)</translation>
    </message>
    <message>
        <source>Tokenizer file for a checkpoint that has none (tokenizer.json or a .model)</source>
        <translation>Tokenizer-Datei für einen Checkpoint ohne eigene (tokenizer.json oder eine .model-Datei)</translation>
    </message>
    <message>
        <source>Prompt to start with (default: a sample prompt)</source>
        <translation>Prompt zum Start (Standard: ein Beispielprompt)</translation>
    </message>
    <message>
        <source>Reduction schedule to start with (JSON, as saved by the window or ssmlens-cli schedule)</source>
        <translation>Reduktionszeitplan zum Start (JSON, wie vom Fenster oder von ssmlens-cli schedule gespeichert)</translation>
    </message>
    <message>
        <source>Size of exported figures in pixels (default 1600x1000)</source>
        <translation>Größe exportierter Abbildungen in Pixeln (Standard 1600x1000)</translation>
    </message>
    <message>
        <source>Resolution of exported figures: their size on paper is pixels / dpi inches (default 96)</source>
        <translation>Auflösung exportierter Abbildungen: ihre Größe auf Papier ist Pixel / dpi Zoll (Standard 96)</translation>
    </message>
    <message>
        <source>Text size of exported figures in points (default 9)</source>
        <translation>Schriftgröße exportierter Abbildungen in Punkt (Standard 9)</translation>
    </message>
    <message>
        <source>Token selected in the exported views (default: none)</source>
        <translation>In den exportierten Ansichten ausgewähltes Token (Standard: keins)</translation>
    </message>
    <message>
        <source>Save a screenshot of the window after the first result, then quit</source>
        <translation>Nach dem ersten Ergebnis ein Bildschirmfoto des Fensters speichern und beenden</translation>
    </message>
    <message>
        <source>Window size for the screenshot</source>
        <translation>Fenstergröße für das Bildschirmfoto</translation>
    </message>
    <message>
        <source>Same as --export heatmap=FILE</source>
        <translation>Wie --export heatmap=DATEI</translation>
    </message>
    <message>
        <source>Run the accuracy check on the first bundled sample after the first result</source>
        <translation>Nach dem ersten Ergebnis die Genauigkeitsprüfung mit der ersten mitgelieferten Stichprobe ausführen</translation>
    </message>
    <message>
        <source>Measure N slider moves (change to redrawn views), print JSON, quit</source>
        <translation>N Reglerbewegungen messen (von der Änderung bis zu den neu gezeichneten Ansichten), JSON ausgeben, beenden</translation>
    </message>
    <message>
        <source>Interface language: en, de or zh_CN (default: the one chosen in the window, else the system's)</source>
        <translation>Sprache der Oberfläche: en, de oder zh_CN (Standard: die im Fenster gewählte, sonst die des Systems)</translation>
    </message>
    <message>
        <source>unexpected argument "%1" (options start with --; see --help)</source>
        <translation>unerwartetes Argument „%1“ (Optionen beginnen mit --; siehe --help)</translation>
    </message>
    <message>
        <source>--%1 %2: not a whole number</source>
        <translation>--%1 %2: keine ganze Zahl</translation>
    </message>
    <message>
        <source>--size %1: give the width and height in pixels, each from 100 to 20000, e.g. 1600x1000</source>
        <translation>--size %1: Breite und Höhe in Pixeln angeben, jeweils 100 bis 20000, z. B. 1600x1000</translation>
    </message>
    <message>
        <source>--window-size %1: give the width and height in pixels, e.g. 1920x1200</source>
        <translation>--window-size %1: Breite und Höhe in Pixeln angeben, z. B. 1920x1200</translation>
    </message>
    <message>
        <source>--export %1: write it as VIEW=FILE, e.g. --export heatmap=heatmap.pdf</source>
        <translation>--export %1: als ANSICHT=DATEI schreiben, z. B. --export heatmap=heatmap.pdf</translation>
    </message>
    <message>
        <source>--export %1: unknown image format "%2" (use .png, .pdf or .svg)</source>
        <translation>--export %1: unbekanntes Bildformat „%2“ (.png, .pdf oder .svg verwenden)</translation>
    </message>
    <message>
        <source>--%1 %2: give a number from %3 to %4</source>
        <translation>--%1 %2: eine Zahl von %3 bis %4 angeben</translation>
    </message>
    <message>
        <source>Layer every view shows after the first result (default: the first anchor)</source>
        <translation>Schicht, die jede Ansicht nach dem ersten Ergebnis zeigt (Standard: der erste Anker)</translation>
    </message>
    <message>
        <source>Measure N layer changes in the Attention view, print JSON, quit</source>
        <translation>N Schichtwechsel in der Aufmerksamkeitsansicht messen, JSON ausgeben, beenden</translation>
    </message>
    <message>
        <source>Start with the Attention view in front</source>
        <translation>Mit der Aufmerksamkeitsansicht im Vordergrund starten</translation>
    </message>
    <message>
        <source>Reduction method to start with (as ssmlens-cli --method)</source>
        <translation>Reduktionsverfahren zum Start (wie ssmlens-cli --method)</translation>
    </message>
    <message>
        <source>--method %1: not with --schedule, whose file names its method</source>
        <translation>--method %1: nicht zusammen mit --schedule, dessen Datei ihr Verfahren nennt</translation>
    </message>
    <message>
        <source>--method %1: %2</source>
        <translation>--method %1: %2</translation>
    </message>
    <message>
        <source>Export a view and quit, without a display; repeatable. VIEW: heatmap, strip, graph, tokens-per-layer, attention, importance-vs-attention, attribution, accuracy, accuracy-vs-flops. Format from FILE's extension: .png, .pdf, .svg</source>
        <translation>Eine Ansicht exportieren und beenden, ohne Bildschirm; wiederholbar. ANSICHT: heatmap, strip, graph, tokens-per-layer, attention, importance-vs-attention, attribution, accuracy, accuracy-vs-flops. Format nach der Endung von DATEI: .png, .pdf, .svg</translation>
    </message>
    <message>
        <source>Keep ratio q at every anchor, a number from %1 to 1</source>
        <translation>Behaltquote q an jedem Anker, eine Zahl von %1 bis 1</translation>
    </message>
</context>
<context>
    <name>ssmlens::AttentionMatrixPlot</name>
    <message>
        <source>gone before</source>
        <translation>schon entfernt</translation>
    </message>
    <message>
        <source>token read (s)</source>
        <translation>gelesenes Token (s)</translation>
    </message>
    <message>
        <source>token reading (t)</source>
        <translation>lesendes Token (t)</translation>
    </message>
    <message>
        <source>log10 |value|</source>
        <translation>log10 |Wert|</translation>
    </message>
    <message>
        <source>value (signed)</source>
        <translation>Wert (mit Vorzeichen)</translation>
    </message>
    <message>
        <source>value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>%1 “%2”</source>
        <translation>%1 „%2“</translation>
    </message>
    <message>
        <source>token %1 reads token %2</source>
        <translation>Token %1 liest Token %2</translation>
    </message>
    <message>
        <source>never: a token reads only itself and earlier tokens</source>
        <translation>nie: ein Token liest nur sich selbst und frühere Tokens</translation>
    </message>
    <message>
        <source>not in this pass: a token was removed before this layer</source>
        <translation>nicht in diesem Durchlauf: ein Token wurde vor dieser Schicht entfernt</translation>
    </message>
    <message>
        <source>value %1</source>
        <translation>Wert %1</translation>
    </message>
    <message>
        <source>(log10 |value| %1)</source>
        <translation>(log10 |Wert| %1)</translation>
    </message>
</context>
<context>
    <name>ssmlens::AttentionView</name>
    <message>
        <source>The layer shown (the same layer as the other views)</source>
        <translation>Die gezeigte Schicht (dieselbe wie in den anderen Ansichten)</translation>
    </message>
    <message>
        <source>One head's matrix, or the heads combined</source>
        <translation>Die Matrix eines Kopfes oder die Köpfe zusammengefasst</translation>
    </message>
    <message>
        <source>Normalise rows</source>
        <translation>Zeilen normieren</translation>
    </message>
    <message>
        <source>Each row as the fractions of what the token reads: |M| divided by the row's sum of |M|, per head before combining</source>
        <translation>Jede Zeile als Anteile dessen, was das Token liest: |M| geteilt durch die Zeilensumme von |M|, je Kopf vor dem Zusammenfassen</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>Logarithmische Skala</translation>
    </message>
    <message>
        <source>Colour by log10 of the magnitude (six decades below the largest)</source>
        <translation>Färbung nach log10 des Betrags (sechs Zehnerpotenzen unter dem größten)</translation>
    </message>
    <message>
        <source>Dense and reduced</source>
        <translation>Dicht und reduziert</translation>
    </message>
    <message>
        <source>Dense</source>
        <translation>Dicht</translation>
    </message>
    <message>
        <source>Reduced</source>
        <translation>Reduziert</translation>
    </message>
    <message>
        <source>Which passes to show: the model without reduction, with the schedule, or both</source>
        <translation>Welche Durchläufe gezeigt werden: das Modell ohne Reduktion, mit dem Zeitplan oder beide</translation>
    </message>
    <message>
        <source>reads from (row)</source>
        <translation>liest aus (Zeile)</translation>
    </message>
    <message>
        <source>is read by (column)</source>
        <translation>wird gelesen von (Spalte)</translation>
    </message>
    <message>
        <source>What the token strip shows for the selected token</source>
        <translation>Was der Tokenstreifen für das gewählte Token zeigt</translation>
    </message>
    <message>
        <source>Layer:</source>
        <translation>Schicht:</translation>
    </message>
    <message>
        <source>Heads:</source>
        <translation>Köpfe:</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Zeigen:</translation>
    </message>
    <message>
        <source>Strip:</source>
        <translation>Streifen:</translation>
    </message>
    <message>
        <source>Importance vs attention</source>
        <translation>Wichtigkeit gegen Aufmerksamkeit</translation>
    </message>
    <message>
        <source>Next-token attribution</source>
        <translation>Attribution des nächsten Tokens</translation>
    </message>
    <message>
        <source>Mean over heads</source>
        <translation>Mittel über die Köpfe</translation>
    </message>
    <message>
        <source>Max |M| over heads</source>
        <translation>Max |M| über die Köpfe</translation>
    </message>
    <message>
        <source>Head %1</source>
        <translation>Kopf %1</translation>
    </message>
    <message>
        <source>head %1</source>
        <translation>Kopf %1</translation>
    </message>
    <message>
        <source>max |M| over heads</source>
        <translation>max |M| über die Köpfe</translation>
    </message>
    <message>
        <source>mean over heads</source>
        <translation>Mittel über die Köpfe</translation>
    </message>
    <message>
        <source>%1, rows normalised</source>
        <translation>%1, Zeilen normiert</translation>
    </message>
    <message>
        <source>Run a prompt to see what each token reads.</source>
        <translation>Einen Prompt ausführen, um zu sehen, was jedes Token liest.</translation>
    </message>
    <message>
        <source>Computing layer %1…</source>
        <translation>Schicht %1 wird berechnet…</translation>
    </message>
    <message>
        <source>Dense, layer %1
%2</source>
        <translation>Dicht, Schicht %1
%2</translation>
    </message>
    <message>
        <source>Reduced, layer %1
%2</source>
        <translation>Reduziert, Schicht %1
%2</translation>
    </message>
    <message>
        <source>Importance against attention received: needs a schedule</source>
        <translation>Wichtigkeit gegen erhaltene Aufmerksamkeit: braucht einen Zeitplan</translation>
    </message>
    <message>
        <source>Click a token or a cell to see what it reads</source>
        <translation>Ein Token oder eine Zelle anklicken, um zu sehen, was es liest</translation>
    </message>
    <message>
        <source>dense</source>
        <translation>dicht</translation>
    </message>
    <message>
        <source>reduced</source>
        <translation>reduziert</translation>
    </message>
    <message>
        <source>Token %1 “%2” is not in the %3 pass at layer %4: it was removed at an earlier anchor.</source>
        <translation>Token %1 „%2“ ist in Schicht %4 nicht im Durchlauf (%3): es wurde an einem früheren Anker entfernt.</translation>
    </message>
    <message>
        <source>Token %1 “%2” reads from (layer %3, %4 pass, %5; green positive, purple negative):</source>
        <translation>Token %1 „%2“ liest aus (Schicht %3, Durchlauf %4, %5; grün positiv, lila negativ):</translation>
    </message>
    <message>
        <source>Token %1 “%2” is read by (layer %3, %4 pass, %5; green positive, purple negative):</source>
        <translation>Token %1 „%2“ wird gelesen von (Schicht %3, Durchlauf %4, %5; grün positiv, lila negativ):</translation>
    </message>
    <message>
        <source>Layer %1: %2 of %3 tokens present in the reduced pass</source>
        <translation>Schicht %1: %2 von %3 Tokens im reduzierten Durchlauf vorhanden</translation>
    </message>
    <message>
        <source>; this anchor merges %1 and prunes %2 (marked on the matrix edges)</source>
        <translation>; dieser Anker verschmilzt %1 und entfernt %2 (an den Rändern der Matrix markiert)</translation>
    </message>
    <message>
        <source>. Computed in %1 ms.</source>
        <translation>. Berechnet in %1 ms.</translation>
    </message>
</context>
<context>
    <name>ssmlens::AttributionPlot</name>
    <message>
        <source>dense</source>
        <translation>dicht</translation>
    </message>
    <message>
        <source>reduced</source>
        <translation>reduziert</translation>
    </message>
    <message>
        <source>token (position in the prompt)</source>
        <translation>Token (Position im Prompt)</translation>
    </message>
    <message>
        <source>share of the prediction</source>
        <translation>Anteil an der Vorhersage</translation>
    </message>
    <message>
        <source>token %1 “%2”
dense %3, reduced %4</source>
        <translation>Token %1 „%2“
dicht %3, reduziert %4</translation>
    </message>
    <message>
        <source>Next-token attribution (rollout)</source>
        <translation>Attribution des nächsten Tokens (Rollout)</translation>
    </message>
</context>
<context>
    <name>ssmlens::Autosaver</name>
    <message>
        <source>%1: cannot autosave (%2)</source>
        <translation>%1: automatisches Speichern fehlgeschlagen (%2)</translation>
    </message>
    <message>
        <source>%1: could not keep the previous session as %2</source>
        <translation>%1: die vorherige Sitzung konnte nicht als %2 aufbewahrt werden</translation>
    </message>
</context>
<context>
    <name>ssmlens::ExportFigureDialog</name>
    <message>
        <source>Export figure</source>
        <translation>Abbildung exportieren</translation>
    </message>
    <message>
        <source>View:</source>
        <translation>Ansicht:</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Width:</source>
        <translation>Breite:</translation>
    </message>
    <message>
        <source>Height:</source>
        <translation>Höhe:</translation>
    </message>
    <message>
        <source>DPI:</source>
        <translation>DPI:</translation>
    </message>
    <message>
        <source>PNG (image)</source>
        <translation>PNG (Bild)</translation>
    </message>
    <message>
        <source>PDF (vector)</source>
        <translation>PDF (Vektor)</translation>
    </message>
    <message>
        <source>SVG (vector)</source>
        <translation>SVG (Vektor)</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>Format:</translation>
    </message>
    <message>
        <source>Dots per inch: with the size in pixels it gives the figure's size on paper. 1050 px at 300 dpi is 3.5 inches, a single column.</source>
        <translation>Punkte pro Zoll: zusammen mit der Größe in Pixeln ergibt sie die Größe der Abbildung auf Papier. 1050 px bei 300 dpi sind 3,5 Zoll, eine Spalte.</translation>
    </message>
    <message>
        <source> pt</source>
        <translation> pt</translation>
    </message>
    <message>
        <source>Size of the figure's text in points, whatever the resolution; titles are a little larger, tick labels a little smaller</source>
        <translation>Schriftgröße der Abbildung in Punkt, unabhängig von der Auflösung; Titel etwas größer, Achsenbeschriftungen etwas kleiner</translation>
    </message>
    <message>
        <source>Text size:</source>
        <translation>Schriftgröße:</translation>
    </message>
    <message>
        <source>On paper:</source>
        <translation>Auf Papier:</translation>
    </message>
    <message>
        <source>%1 × %2 cm (%3 × %4 in)</source>
        <translation>%1 × %2 cm (%3 × %4 Zoll)</translation>
    </message>
</context>
<context>
    <name>ssmlens::FigureExport</name>
    <message>
        <source>invalid size %1 x %2 px at %3 dpi</source>
        <translation>ungültige Größe %1 x %2 px bei %3 dpi</translation>
    </message>
    <message>
        <source>invalid font size %1 pt (use 4 to 72)</source>
        <translation>ungültige Schriftgröße %1 pt (4 bis 72 verwenden)</translation>
    </message>
    <message>
        <source>%1: unknown image format "%2" (use .png, .pdf or .svg)</source>
        <translation>%1: unbekanntes Bildformat „%2" (.png, .pdf oder .svg verwenden)</translation>
    </message>
    <message>
        <source>%1: cannot write (%2)</source>
        <translation>%1: kann nicht geschrieben werden (%2)</translation>
    </message>
    <message>
        <source>%1: could not be written (%2)</source>
        <translation>%1: konnte nicht geschrieben werden (%2)</translation>
    </message>
</context>
<context>
    <name>ssmlens::ImportanceAttentionScatter</name>
    <message>
        <source>importance score (the reduction's metric)</source>
        <translation>Wichtigkeit (das Maß der Reduktion)</translation>
    </message>
    <message>
        <source>attention received</source>
        <translation>erhaltene Aufmerksamkeit</translation>
    </message>
    <message>
        <source>token %1 “%2”
importance %3, attention received %4</source>
        <translation>Token %1 „%2“
Wichtigkeit %3, erhaltene Aufmerksamkeit %4</translation>
    </message>
    <message>
        <source>Importance vs attention received</source>
        <translation>Wichtigkeit gegen erhaltene Aufmerksamkeit</translation>
    </message>
    <message>
        <source>Layer %1, Spearman ρ = %2</source>
        <translation>Schicht %1, Spearman ρ = %2</translation>
    </message>
    <message>
        <source>Layer %1</source>
        <translation>Schicht %1</translation>
    </message>
</context>
<context>
    <name>ssmlens::ImportanceHeatmap</name>
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
    <message>
        <source>rel. importance</source>
        <translation>rel. Wichtigkeit</translation>
    </message>
    <message>
        <source>merged here</source>
        <translation>hier verschmolzen</translation>
    </message>
    <message>
        <source>pruned here</source>
        <translation>hier entfernt</translation>
    </message>
    <message>
        <source>gone earlier</source>
        <translation>früher entfernt</translation>
    </message>
    <message>
        <source>Colour: importance ÷ layer max · hatched: removed earlier · click: select · wheel: zoom · drag: pan · double click: all tokens</source>
        <translation>Farbe: Wichtigkeit ÷ Maximum der Schicht · schraffiert: früher entfernt · Klick: auswählen · Mausrad: zoomen · Ziehen: verschieben · Doppelklick: alle Tokens</translation>
    </message>
    <message>
        <source>anchor chose by position alone</source>
        <translation>Anker wählte allein nach Position</translation>
    </message>
</context>
<context>
    <name>ssmlens::MainWindow</name>
    <message>
        <source>SSM Lens</source>
        <translation>SSM Lens</translation>
    </message>
    <message>
        <source>Open a Mamba-2 checkpoint folder (state-spaces or Hugging Face layout)</source>
        <translation>Einen Mamba-2-Checkpoint-Ordner öffnen (Layout von state-spaces oder Hugging Face)</translation>
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
        <source>Open a model folder to begin</source>
        <translation>Zum Beginnen einen Modellordner öffnen</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>%1 wird geladen…</translation>
    </message>
    <message>
        <source>Model loaded</source>
        <translation>Modell geladen</translation>
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
        <source>Save schedule</source>
        <translation>Zeitplan speichern</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <source>Sample prompts…</source>
        <translation>Beispiel-Prompts…</translation>
    </message>
    <message>
        <source>Replace the prompt with a sample</source>
        <translation>Den Prompt durch ein Beispiel ersetzen</translation>
    </message>
    <message>
        <source>The ten most likely next tokens, dense and with the schedule</source>
        <translation>Die zehn wahrscheinlichsten nächsten Tokens, dicht und mit dem Zeitplan</translation>
    </message>
    <message>
        <source>Generate continuations</source>
        <translation>Fortsetzungen erzeugen</translation>
    </message>
    <message>
        <source>32 greedy tokens from the dense model and after the reduced prefill (Ctrl+G)</source>
        <translation>32 Greedy-Tokens vom dichten Modell und nach dem reduzierten Prefill (Ctrl+G)</translation>
    </message>
    <message>
        <source>Dense and reduced continuations appear here</source>
        <translation>Hier erscheinen die dichte und die reduzierte Fortsetzung</translation>
    </message>
    <message>
        <source>Token strip</source>
        <translation>Token-Streifen</translation>
    </message>
    <message>
        <source>Similarity graph</source>
        <translation>Ähnlichkeitsgraph</translation>
    </message>
    <message>
        <source>Tokens per layer</source>
        <translation>Tokens je Schicht</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Zeitplan</translation>
    </message>
    <message>
        <source>Generating…</source>
        <translation>Wird erzeugt…</translation>
    </message>
    <message>
        <source>reduced pass %1 ms (dense pass of this prompt reused)</source>
        <translation>reduzierter Durchlauf %1 ms (dichter Durchlauf dieses Prompts wiederverwendet)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Open model…</source>
        <translation>&amp;Modell öffnen…</translation>
    </message>
    <message>
        <source>&amp;Export figure…</source>
        <translation>Abbildung &amp;exportieren…</translation>
    </message>
    <message>
        <source>Export &amp;trace (JSON)…</source>
        <translation>&amp;Trace exportieren (JSON)…</translation>
    </message>
    <message>
        <source>Export &amp;accuracy results (CSV)…</source>
        <translation>&amp;Genauigkeitsergebnisse exportieren (CSV)…</translation>
    </message>
    <message>
        <source>&amp;Save schedule…</source>
        <translation>&amp;Zeitplan speichern…</translation>
    </message>
    <message>
        <source>&amp;Import schedule…</source>
        <translation>Zeitplan &amp;importieren…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;Undo schedule edit</source>
        <translation>&amp;Rückgängig (Zeitplan)</translation>
    </message>
    <message>
        <source>&amp;Redo schedule edit</source>
        <translation>&amp;Wiederherstellen (Zeitplan)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Systemstandard</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About SSM Lens</source>
        <translation>&amp;Über SSM Lens</translation>
    </message>
    <message>
        <source>Choose a tokenizer</source>
        <translation>Tokenizer wählen</translation>
    </message>
    <message>
        <source>Tokenizers (tokenizer.json *.json *.model)</source>
        <translation>Tokenizer (tokenizer.json *.json *.model)</translation>
    </message>
    <message>
        <source>Importance heatmap</source>
        <translation>Wichtigkeits-Heatmap</translation>
    </message>
    <message>
        <source>Accuracy bars</source>
        <translation>Genauigkeitsbalken</translation>
    </message>
    <message>
        <source>Accuracy vs FLOPs</source>
        <translation>Genauigkeit vs. FLOPs</translation>
    </message>
    <message>
        <source>Export %1</source>
        <translation>%1 exportieren</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <source>Run a prompt first: the trace is what the views show.</source>
        <translation>Zuerst einen Prompt ausführen: Die Ansichten zeigen dessen Trace.</translation>
    </message>
    <message>
        <source>Export trace</source>
        <translation>Trace exportieren</translation>
    </message>
    <message>
        <source>%1: cannot write (%2)</source>
        <translation>%1: kann nicht geschrieben werden (%2)</translation>
    </message>
    <message>
        <source>Export accuracy results</source>
        <translation>Genauigkeitsergebnisse exportieren</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Import schedule</source>
        <translation>Zeitplan importieren</translation>
    </message>
    <message>
        <source>Import %1</source>
        <translation>%1 importieren</translation>
    </message>
    <message>
        <source>The session's schedule does not fit this model: %1</source>
        <translation>Der Zeitplan der Sitzung passt nicht zu diesem Modell: %1</translation>
    </message>
    <message>
        <source>Save session</source>
        <translation>Sitzung speichern</translation>
    </message>
    <message>
        <source>Open session</source>
        <translation>Sitzung öffnen</translation>
    </message>
    <message>
        <source>SSM Lens did not exit cleanly last time. Restore the session it was working on (model, prompt, schedule, accuracy results)?</source>
        <translation>SSM Lens wurde beim letzten Mal nicht ordnungsgemäß beendet. Die damals geöffnete Sitzung wiederherstellen (Modell, Prompt, Zeitplan, Genauigkeitsergebnisse)?</translation>
    </message>
    <message>
        <source>Open sessio&amp;n…</source>
        <translation>&amp;Sitzung öffnen…</translation>
    </message>
    <message>
        <source>Sa&amp;ve session…</source>
        <translation>Sitzung s&amp;peichern…</translation>
    </message>
    <message>
        <source>the prompt changed</source>
        <translation>der Prompt hat sich geändert</translation>
    </message>
    <message>
        <source>the schedule changed</source>
        <translation>der Zeitplan hat sich geändert</translation>
    </message>
    <message>
        <source>FLOPs here: this prompt, measured pass. The schedule editor counts the same prompt analytically; an accuracy check averages over its task's examples, whose lengths differ, so its FLOPs figure differs too.</source>
        <translation>FLOPs hier: dieser Prompt, gemessener Durchlauf. Der Zeitplan-Editor zählt denselben Prompt analytisch; eine Genauigkeitsprüfung mittelt über die Beispiele ihrer Aufgabe, deren Längen abweichen, daher weicht auch ihre FLOPs-Angabe ab.</translation>
    </message>
    <message>
        <source>%1: no view called "%2" (views: %3)</source>
        <translation>%1: keine Ansicht namens „%2“ (Ansichten: %3)</translation>
    </message>
    <message>
        <source>Continuations cleared: %1. Generate them again (Ctrl+G).</source>
        <translation>Fortsetzungen gelöscht: %1. Erneut erzeugen (Strg+G).</translation>
    </message>
    <message>
        <source>No result yet.</source>
        <translation>Noch kein Ergebnis.</translation>
    </message>
    <message>
        <source>computing…</source>
        <translation>wird berechnet…</translation>
    </message>
    <message>
        <source>&lt;b&gt;No result:&lt;/b&gt; %1</source>
        <translation>&lt;b&gt;Kein Ergebnis:&lt;/b&gt; %1</translation>
    </message>
    <message>
        <source>No result yet: open a model and type a prompt.</source>
        <translation>Noch kein Ergebnis: ein Modell öffnen und einen Prompt eingeben.</translation>
    </message>
    <message>
        <source>No result yet: type a prompt.</source>
        <translation>Noch kein Ergebnis: einen Prompt eingeben.</translation>
    </message>
    <message>
        <source>Running the prompt…</source>
        <translation>Der Prompt läuft…</translation>
    </message>
    <message>
        <source>%1 · %2 tokens · %3</source>
        <translation>%1 · %2 Tokens · %3</translation>
    </message>
    <message>
        <source>Computed for %1</source>
        <translation>Berechnet für %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;Out of date:&lt;/b&gt; the new input failed (%1). Shown: the result for %2.</source>
        <translation>&lt;b&gt;Veraltet:&lt;/b&gt; die neue Eingabe schlug fehl (%1). Angezeigt: das Ergebnis für %2.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Out of date&lt;/b&gt; (%1), %2 Shown: the result for %3.</source>
        <translation>&lt;b&gt;Veraltet&lt;/b&gt; (%1), %2 Angezeigt: das Ergebnis für %3.</translation>
    </message>
    <message>
        <source>the input changed</source>
        <translation>die Eingabe hat sich geändert</translation>
    </message>
    <message>
        <source>waiting for the new result.</source>
        <translation>das neue Ergebnis wird erwartet.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 → %2 tokens&lt;/b&gt; after the last anchor · FLOPs −%3% for this prompt · KL(dense‖reduced) = %4</source>
        <translation>&lt;b&gt;%1 → %2 Tokens&lt;/b&gt; nach dem letzten Anker · FLOPs −%3 % für diesen Prompt · KL(dicht‖reduziert) = %4</translation>
    </message>
    <message>
        <source>"%1", token id %2</source>
        <translation>„%1“, Token-ID %2</translation>
    </message>
    <message>
        <source>⟨end of text⟩</source>
        <translation>⟨Textende⟩</translation>
    </message>
    <message>
        <source>(nothing)</source>
        <translation>(nichts)</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Dense:&lt;/b&gt; %1&lt;/p&gt;&lt;p&gt;&lt;b&gt;Reduced:&lt;/b&gt; %2&lt;/p&gt;&lt;p style="color:#777"&gt;For this prompt with %3.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Dicht:&lt;/b&gt; %1&lt;/p&gt;&lt;p&gt;&lt;b&gt;Reduziert:&lt;/b&gt; %2&lt;/p&gt;&lt;p style="color:#777"&gt;Für diesen Prompt mit %3.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Save the accuracy results shown as CSV</source>
        <translation>Die angezeigten Genauigkeitsergebnisse als CSV speichern</translation>
    </message>
    <message>
        <source>No accuracy results yet: run an accuracy check first</source>
        <translation>Noch keine Genauigkeitsergebnisse: zuerst eine Prüfung starten</translation>
    </message>
    <message>
        <source>Figures (*.png *.pdf *.svg)</source>
        <translation>Abbildungen (*.png *.pdf *.svg)</translation>
    </message>
    <message>
        <source>There are no accuracy results to export yet: run an accuracy check or a sweep in the Accuracy panel first.</source>
        <translation>Es gibt noch keine Genauigkeitsergebnisse zum Exportieren: zuerst im Bereich Genauigkeit eine Prüfung oder einen Durchlauf starten.</translation>
    </message>
    <message>
        <source>If you choose No, the session is kept as a backup file.</source>
        <translation>Bei „Nein“ wird die Sitzung als Sicherungsdatei aufbewahrt.</translation>
    </message>
    <message>
        <source>The previous session was kept as %1</source>
        <translation>Die vorherige Sitzung wurde als %1 aufbewahrt</translation>
    </message>
    <message>
        <source>Save the changes to this session before quitting?</source>
        <translation>Die Änderungen an dieser Sitzung vor dem Beenden speichern?</translation>
    </message>
    <message>
        <source>The prompt, schedule or accuracy results were changed and never saved.</source>
        <translation>Prompt, Zeitplan oder Genauigkeitsergebnisse wurden geändert und nie gespeichert.</translation>
    </message>
    <message>
        <source>The prompt, schedule or accuracy results changed since %1 was saved.</source>
        <translation>Prompt, Zeitplan oder Genauigkeitsergebnisse haben sich geändert, seit %1 gespeichert wurde.</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>Aufmerksamkeit</translation>
    </message>
    <message>
        <source>Attention matrices</source>
        <translation>Aufmerksamkeitsmatrizen</translation>
    </message>
    <message>
        <source>Importance vs attention</source>
        <translation>Wichtigkeit gegen Aufmerksamkeit</translation>
    </message>
    <message>
        <source>Next-token attribution</source>
        <translation>Attribution des nächsten Tokens</translation>
    </message>
    <message>
        <source>Accuracy checks report the mean FLOPs of their task's examples: another number.</source>
        <translation>Genauigkeitsprüfungen nennen die mittleren FLOPs der Beispiele ihrer Aufgabe: eine andere Zahl.</translation>
    </message>
    <message>
        <source>Apply tuned schedule</source>
        <translation>Abgestimmten Zeitplan übernehmen</translation>
    </message>
    <message>
        <source>Tune</source>
        <translation>Abstimmen</translation>
    </message>
</context>
<context>
    <name>ssmlens::ModelPanel</name>
    <message>
        <source>No model loaded</source>
        <translation>Kein Modell geladen</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>Modell:</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Where the model runs; changing it reloads the model</source>
        <translation>Wo das Modell läuft; eine Änderung lädt das Modell neu</translation>
    </message>
    <message>
        <source>fp32</source>
        <translation>fp32</translation>
    </message>
    <message>
        <source>bf16</source>
        <translation>bf16</translation>
    </message>
    <message>
        <source>fp16 (GPU only)</source>
        <translation>fp16 (nur GPU)</translation>
    </message>
    <message>
        <source>Weight and compute precision; changing it reloads the model</source>
        <translation>Präzision der Gewichte und der Berechnung; eine Änderung lädt das Modell neu</translation>
    </message>
    <message>
        <source>Runs on:</source>
        <translation>Läuft auf:</translation>
    </message>
    <message>
        <source>Open folder…</source>
        <translation>Ordner öffnen…</translation>
    </message>
    <message>
        <source>Open a Mamba-2 checkpoint folder (state-spaces or Hugging Face layout)</source>
        <translation>Einen Mamba-2-Checkpoint-Ordner öffnen (Layout von state-spaces oder Hugging Face)</translation>
    </message>
    <message>
        <source>Recent</source>
        <translation>Zuletzt verwendet</translation>
    </message>
    <message>
        <source>Models opened before</source>
        <translation>Zuvor geöffnete Modelle</translation>
    </message>
    <message>
        <source>Demo model</source>
        <translation>Demo-Modell</translation>
    </message>
    <message>
        <source>The small Mamba-2 model bundled with SSM Lens (docs/demo-model.md)</source>
        <translation>Das kleine, mit SSM Lens mitgelieferte Mamba-2-Modell (docs/demo-model.md)</translation>
    </message>
    <message>
        <source>Tokenizer…</source>
        <translation>Tokenizer…</translation>
    </message>
    <message>
        <source>Choose the tokenizer file (tokenizer.json or a sentencepiece .model) for the open model: official state-spaces checkpoints come without one and use GPT-NeoX-20B's tokenizer.json</source>
        <translation>Die Tokenizer-Datei (tokenizer.json oder eine sentencepiece-.model-Datei) für das geöffnete Modell wählen: Offizielle state-spaces-Checkpoints enthalten keine und verwenden die tokenizer.json von GPT-NeoX-20B</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>%1 wird geladen…</translation>
    </message>
    <message>
        <source>&lt;br&gt;tokenizer: %1</source>
        <translation>&lt;br&gt;Tokenizer: %1</translation>
    </message>
    <message>
        <source>&lt;br&gt;no tokenizer: choose one, or type token ids</source>
        <translation>&lt;br&gt;kein Tokenizer: einen wählen oder Token-IDs eingeben</translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation>(noch keine)</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;%2 layers, d_model %3, vocab %4&lt;br&gt;%5 M parameters, %6 MB (%7 on %8)%9</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;%2 Schichten, d_model %3, Vokabular %4&lt;br&gt;%5 Mio. Parameter, %6 MB (%7 auf %8)%9</translation>
    </message>
    <message>
        <source>GPU %1: %2</source>
        <translation>GPU %1: %2</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>Warnung: %1</translation>
    </message>
</context>
<context>
    <name>ssmlens::PromptTokenChips</name>
    <message>
        <source>&lt;id %1&gt;</source>
        <translation>&lt;id %1&gt;</translation>
    </message>
    <message>
        <source>token %1: id %2, “%3”, characters %4–%5</source>
        <translation>Token %1: ID %2, „%3“, Zeichen %4–%5</translation>
    </message>
    <message>
        <source>token %1: id %2, “%3”</source>
        <translation>Token %1: ID %2, „%3“</translation>
    </message>
    <message>
        <source>No tokens</source>
        <translation>Keine Tokens</translation>
    </message>
    <message>
        <source>1 token</source>
        <translation>1 Token</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 Tokens</translation>
    </message>
</context>
<context>
    <name>ssmlens::ReductionWorker</name>
    <message>
        <source>%1: no CUDA device is available to this build</source>
        <translation>%1: diesem Build steht kein CUDA-Gerät zur Verfügung</translation>
    </message>
    <message>
        <source>Open a model before choosing its tokenizer.</source>
        <translation>Vor der Wahl des Tokenizers ein Modell öffnen.</translation>
    </message>
    <message>
        <source>This model folder has no tokenizer: type token ids separated by commas, or choose a tokenizer file ("%1" is not a token id).</source>
        <translation>Dieser Modellordner hat keinen Tokenizer: Token-IDs durch Kommas getrennt eingeben oder eine Tokenizer-Datei wählen („%1“ ist keine Token-ID).</translation>
    </message>
    <message>
        <source>No model is loaded.</source>
        <translation>Es ist kein Modell geladen.</translation>
    </message>
    <message>
        <source>The prompt is empty.</source>
        <translation>Der Prompt ist leer.</translation>
    </message>
    <message>
        <source>Accuracy checks need a tokenizer: choose one for this model.</source>
        <translation>Genauigkeitsprüfungen brauchen einen Tokenizer: einen für dieses Modell wählen.</translation>
    </message>
    <message>
        <source>No prompt has run yet.</source>
        <translation>Es ist noch kein Prompt gelaufen.</translation>
    </message>
</context>
<context>
    <name>ssmlens::RunDescription</name>
    <message>
        <source>no model</source>
        <translation>kein Modell</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>%1 (%2, %3)</source>
        <translation>%1 (%2, %3)</translation>
    </message>
    <message>
        <source>dense (no anchors)</source>
        <translation>dicht (keine Anker)</translation>
    </message>
    <message>
        <source>1 anchor</source>
        <translation>1 Anker</translation>
    </message>
    <message>
        <source>%1 anchors</source>
        <translation>%1 Anker</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>%1 bis %2</translation>
    </message>
    <message>
        <source>%1, %2, q = %3</source>
        <translation>%1, %2, q = %3</translation>
    </message>
</context>
<context>
    <name>ssmlens::ScheduleCurvePlot</name>
    <message>
        <source>dense</source>
        <translation>dicht</translation>
    </message>
    <message>
        <source>with schedule</source>
        <translation>mit Zeitplan</translation>
    </message>
    <message>
        <source>anchor</source>
        <translation>Anker</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>tokens</source>
        <translation>Tokens</translation>
    </message>
</context>
<context>
    <name>ssmlens::ScheduleEditor</name>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <source>Undo the last schedule edit</source>
        <translation>Die letzte Zeitplanänderung rückgängig machen</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederherstellen</translation>
    </message>
    <message>
        <source>Redo the schedule edit just undone</source>
        <translation>Die eben rückgängig gemachte Zeitplanänderung wiederherstellen</translation>
    </message>
    <message>
        <source>Add anchor at layer %1</source>
        <translation>Anker in Schicht %1 hinzufügen</translation>
    </message>
    <message>
        <source>Remove anchor at layer %1</source>
        <translation>Anker in Schicht %1 entfernen</translation>
    </message>
    <message>
        <source>Set every keep ratio to %1</source>
        <translation>Alle Behaltquoten auf %1 setzen</translation>
    </message>
    <message>
        <source>Set keep ratio at layer %1 to %2</source>
        <translation>Behaltquote in Schicht %1 auf %2 setzen</translation>
    </message>
    <message>
        <source>Method %1</source>
        <translation>Verfahren %1</translation>
    </message>
    <message>
        <source>Change reduction options</source>
        <translation>Reduktionsoptionen ändern</translation>
    </message>
    <message>
        <source>Preset: none (dense)</source>
        <translation>Voreinstellung: keine (dicht)</translation>
    </message>
    <message>
        <source>Preset: paper (64 layers)</source>
        <translation>Voreinstellung: Paper (64 Schichten)</translation>
    </message>
    <message>
        <source>Preset: depth-scaled</source>
        <translation>Voreinstellung: tiefenskaliert</translation>
    </message>
    <message>
        <source>FLOPs −%1 %, tokens −%2 %</source>
        <translation>FLOPs −%1 %, Tokens −%2 %</translation>
    </message>
    <message>
        <source>Anchors</source>
        <translation>Anker</translation>
    </message>
    <message>
        <source>&amp;All anchors:</source>
        <translation>&amp;Alle Anker:</translation>
    </message>
    <message>
        <source>Keep ratio of all anchors</source>
        <translation>Behaltquote aller Anker</translation>
    </message>
    <message>
        <source>Layers (click to add or remove an anchor):</source>
        <translation>Schichten (klicken, um einen Anker hinzuzufügen oder zu entfernen):</translation>
    </message>
    <message>
        <source>One tick per layer; triangles mark anchors. Click a layer, or use the arrow keys and Space, to add or remove an anchor.</source>
        <translation>Ein Strich je Schicht; Dreiecke markieren Anker. Eine Schicht anklicken oder Pfeiltasten und Leertaste verwenden, um einen Anker hinzuzufügen oder zu entfernen.</translation>
    </message>
    <message>
        <source>No anchors: every layer sees every token (dense).</source>
        <translation>Keine Anker: Jede Schicht sieht jedes Token (dicht).</translation>
    </message>
    <message>
        <source>Effect</source>
        <translation>Wirkung</translation>
    </message>
    <message>
        <source>Analytic FLOPs of the forward pass (layers and head) and the mean share of tokens removed per layer, against the dense model</source>
        <translation>Analytische FLOPs des Vorwärtsdurchlaufs (Schichten und Head) und mittlerer Anteil der je Schicht entfernten Tokens, verglichen mit dem dichten Modell</translation>
    </message>
    <message>
        <source>Tokens entering each layer, dense (dashed) and with this schedule</source>
        <translation>Tokens, die in jede Schicht eingehen, dicht (gestrichelt) und mit diesem Zeitplan</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Verfahren</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>&amp;Method:</source>
        <translation>&amp;Verfahren:</translation>
    </message>
    <message>
        <source>Show or hide the options of the method</source>
        <translation>Die Optionen des Verfahrens ein- oder ausblenden</translation>
    </message>
    <message>
        <source>clip — sum of max(h, 0)</source>
        <translation>clip — Summe von max(h, 0)</translation>
    </message>
    <message>
        <source>raw — plain sum of h</source>
        <translation>raw — einfache Summe von h</translation>
    </message>
    <message>
        <source>l2 — L2 norm of h</source>
        <translation>l2 — L2-Norm von h</translation>
    </message>
    <message>
        <source>How a token's importance is scored from the mixer output h</source>
        <translation>Wie die Wichtigkeit eines Tokens aus der Mixer-Ausgabe h berechnet wird</translation>
    </message>
    <message>
        <source>&amp;Importance:</source>
        <translation>W&amp;ichtigkeit:</translation>
    </message>
    <message>
        <source>hybrid — merge some, prune the rest</source>
        <translation>hybrid — einige verschmelzen, den Rest entfernen</translation>
    </message>
    <message>
        <source>merge</source>
        <translation>verschmelzen</translation>
    </message>
    <message>
        <source>prune</source>
        <translation>entfernen</translation>
    </message>
    <message>
        <source>&amp;Hidden stream:</source>
        <translation>&amp;Hidden-Stream:</translation>
    </message>
    <message>
        <source>&amp;Residual stream:</source>
        <translation>Resi&amp;dual-Stream:</translation>
    </message>
    <message>
        <source>channel</source>
        <translation>Kanal</translation>
    </message>
    <message>
        <source>token</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Hybrid &amp;choice per:</source>
        <translation>Hybride &amp;Entscheidung pro:</translation>
    </message>
    <message>
        <source>&amp;Protect scored positions</source>
        <translation>Bewertete &amp;Positionen schützen</translation>
    </message>
    <message>
        <source>Preset:</source>
        <translation>Voreinstellung:</translation>
    </message>
    <message>
        <source>None (dense)</source>
        <translation>Keine (dicht)</translation>
    </message>
    <message>
        <source>Remove every anchor: no token reduction</source>
        <translation>Alle Anker entfernen: keine Token-Reduktion</translation>
    </message>
    <message>
        <source>Paper (64 layers)</source>
        <translation>Paper (64 Schichten)</translation>
    </message>
    <message>
        <source>Depth-scaled</source>
        <translation>Tiefenskaliert</translation>
    </message>
    <message>
        <source>La&amp;yer:</source>
        <translation>&amp;Schicht:</translation>
    </message>
    <message>
        <source>Layer for a new anchor: tokens are reduced after this layer</source>
        <translation>Schicht für einen neuen Anker: Tokens werden nach dieser Schicht reduziert</translation>
    </message>
    <message>
        <source>Add a&amp;nchor</source>
        <translation>A&amp;nker hinzufügen</translation>
    </message>
    <message>
        <source>Layer %1</source>
        <translation>Schicht %1</translation>
    </message>
    <message>
        <source>Share of its tokens that layer %1 keeps (q); the rest are pruned or merged</source>
        <translation>Anteil ihrer Tokens, den Schicht %1 behält (q); der Rest wird entfernt oder verschmolzen</translation>
    </message>
    <message>
        <source>Keep ratio at layer %1</source>
        <translation>Behaltquote in Schicht %1</translation>
    </message>
    <message>
        <source>Remove the anchor at layer %1</source>
        <translation>Den Anker in Schicht %1 entfernen</translation>
    </message>
    <message>
        <source>How the tokens to remove are chosen and what happens to them. Now: %1</source>
        <translation>Wie die wegfallenden Tokens gewählt werden und was mit ihnen geschieht. Aktuell: %1</translation>
    </message>
    <message>
        <source>Anchors differ; moving this sets them all.</source>
        <translation>Die Anker unterscheiden sich; Verschieben setzt sie alle.</translation>
    </message>
    <message>
        <source>Only for 64-layer models (this one has %1 layers). Depth-scaled puts the paper's anchors at the same relative depths.</source>
        <translation>Nur für Modelle mit 64 Schichten (dieses hat %1 Schichten). „Tiefenskaliert“ setzt die Anker des Papers in dieselben relativen Tiefen.</translation>
    </message>
    <message>
        <source>Seven anchors evenly spaced from 19% to 66% of the %1 layers (fewer for shallow models), each with the global keep ratio; method and options stay</source>
        <translation>Sieben Anker, gleichmäßig verteilt von 19 % bis 66 % der %1 Schichten (weniger bei flachen Modellen), jeder mit der globalen Behaltquote; Verfahren und Optionen bleiben</translation>
    </message>
    <message>
        <source>Layer %1 is already an anchor</source>
        <translation>Schicht %1 ist bereits ein Anker</translation>
    </message>
    <message>
        <source>Add an anchor at layer %1 with the global keep ratio</source>
        <translation>Einen Anker in Schicht %1 mit der globalen Behaltquote hinzufügen</translation>
    </message>
    <message>
        <source> (fixed by the method %1)</source>
        <translation> (durch das Verfahren %1 festgelegt)</translation>
    </message>
    <message>
        <source>What a removed token does to the mixer-output stream</source>
        <translation>Was mit einem wegfallenden Token im Stream der Mixer-Ausgabe geschieht</translation>
    </message>
    <message>
        <source>What a removed token does to the residual stream</source>
        <translation>Was mit einem wegfallenden Token im Residual-Stream geschieht</translation>
    </message>
    <message>
        <source>Whether the hybrid strategy chooses merge or prune per channel or per token</source>
        <translation>Ob die hybride Strategie pro Kanal oder pro Token zwischen Verschmelzen und Entfernen wählt</translation>
    </message>
    <message>
        <source>protected</source>
        <translation>geschützt</translation>
    </message>
    <message>
        <source>Options: %1</source>
        <translation>Optionen: %1</translation>
    </message>
    <message>
        <source>Never remove the positions that predict a scored continuation (accuracy runs); the last token is always kept</source>
        <translation>Positionen, die eine bewertete Fortsetzung vorhersagen, nie entfernen (Genauigkeitsläufe); das letzte Token wird immer behalten</translation>
    </message>
    <message>
        <source>Analytic count for this %1-token prompt; no model run.</source>
        <translation>Analytische Zählung für diesen Prompt mit %1 Tokens; ohne Modelllauf.</translation>
    </message>
    <message>
        <source>Analytic count for a %1-token prompt (no prompt yet); no model run.</source>
        <translation>Analytische Zählung für einen Prompt mit %1 Tokens (noch kein Prompt); ohne Modelllauf.</translation>
    </message>
    <message>
        <source>The paper's setting for 64-layer models: anchors at layers 12, 17, …, 42 with q = %1, method utr with clip / hybrid / merge</source>
        <translation>Die Einstellung des Papers für Modelle mit 64 Schichten: Anker in den Schichten 12, 17, …, 42 mit q = %1, Verfahren utr mit clip / hybrid / merge</translation>
    </message>
    <message>
        <source>As described in the paper: tokens split by importance, matched by cosine, merged or pruned per channel.</source>
        <translation>Wie im Paper beschrieben: Tokens nach Wichtigkeit aufgeteilt, per Kosinus zugeordnet, pro Kanal verschmolzen oder entfernt.</translation>
    </message>
    <message>
        <source>As utr, with merge or prune chosen per token.</source>
        <translation>Wie utr, Verschmelzen oder Entfernen pro Token gewählt.</translation>
    </message>
    <message>
        <source>As released: the authors' code, which produced the paper's tables. With clip it merges positions 0, 2, …, 2r−2 into position 1, whatever the tokens are.</source>
        <translation>Wie veröffentlicht: der Code der Autoren, der die Tabellen des Papers erzeugt hat. Mit clip verschmilzt er die Positionen 0, 2, …, 2r−2 in Position 1, gleich welche Tokens dort stehen.</translation>
    </message>
    <message>
        <source>Positional baseline: the r oldest tokens after the first merge into the first; the content plays no part.</source>
        <translation>Positionelle Vergleichsbasis: die r ältesten Tokens nach dem ersten verschmelzen in das erste; der Inhalt spielt keine Rolle.</translation>
    </message>
    <message>
        <source>EViT-style baseline: the least important tokens are pruned.</source>
        <translation>Vergleichsbasis wie EViT: die unwichtigsten Tokens werden entfernt.</translation>
    </message>
    <message>
        <source>ToMe-style baseline: even positions merge into their most similar odd position (cosine of h).</source>
        <translation>Vergleichsbasis wie ToMe: gerade Positionen verschmelzen in die ähnlichste ungerade Position (Kosinus von h).</translation>
    </message>
    <message>
        <source>PuMer-style baseline: as ToMe, on the clipped output max(h, 0).</source>
        <translation>Vergleichsbasis wie PuMer: wie ToMe, auf der beschnittenen Ausgabe max(h, 0).</translation>
    </message>
    <message>
        <source>utr's split and matching; every removed token is pruned.</source>
        <translation>Aufteilung und Zuordnung von utr; jedes wegfallende Token wird entfernt.</translation>
    </message>
    <message>
        <source>utr's split and matching; every removed token is merged.</source>
        <translation>Aufteilung und Zuordnung von utr; jedes wegfallende Token wird verschmolzen.</translation>
    </message>
    <message>
        <source>as described in the paper</source>
        <translation>wie im Paper beschrieben</translation>
    </message>
    <message>
        <source>as in the paper, per token</source>
        <translation>wie im Paper, pro Token</translation>
    </message>
    <message>
        <source>as released (the paper's evaluation)</source>
        <translation>wie veröffentlicht (Auswertung des Papers)</translation>
    </message>
    <message>
        <source>positional baseline</source>
        <translation>positionelle Vergleichsbasis</translation>
    </message>
    <message>
        <source>EViT baseline</source>
        <translation>Vergleichsbasis EViT</translation>
    </message>
    <message>
        <source>ToMe baseline</source>
        <translation>Vergleichsbasis ToMe</translation>
    </message>
    <message>
        <source>PuMer baseline</source>
        <translation>Vergleichsbasis PuMer</translation>
    </message>
    <message>
        <source>utr's split, prune</source>
        <translation>Aufteilung von utr, entfernen</translation>
    </message>
    <message>
        <source>utr's split, merge</source>
        <translation>Aufteilung von utr, verschmelzen</translation>
    </message>
    <message>
        <source>Keep ratio q for every anchor: moving it sets all anchors to q. New anchors and the depth-scaled preset also get q. An anchor keeps ceil(q·N) of its N tokens (at most half go at one anchor). The slider is finer from 0.5 to 1; type any value in the field.</source>
        <translation>Behaltquote q für jeden Anker: Verschieben setzt alle Anker auf q. Neue Anker und die tiefenskalierte Vorgabe erhalten ebenfalls q. Ein Anker behält ceil(q·N) seiner N Tokens (höchstens die Hälfte fällt an einem Anker weg). Der Schieber ist von 0,5 bis 1 feiner; im Feld lässt sich jeder Wert eingeben.</translation>
    </message>
    <message>
        <source>→ %1 of %2 tokens</source>
        <translation>→ %1 von %2 Tokens</translation>
    </message>
    <message>
        <source>→ %1</source>
        <translation>→ %1</translation>
    </message>
    <message>
        <source>Tokens this anchor passes on to the next layer</source>
        <translation>Tokens, die dieser Anker an die nächste Schicht weitergibt</translation>
    </message>
</context>
<context>
    <name>ssmlens::ScheduleLayerStrip</name>
    <message>
        <source>Layers</source>
        <translation>Schichten</translation>
    </message>
    <message>
        <source>One tick per layer; anchors are marked. Left and Right move the cursor, Space or Enter adds or removes an anchor.</source>
        <translation>Ein Strich je Schicht; Anker sind markiert. Links und Rechts bewegen den Cursor, Leertaste oder Eingabe fügt einen Anker hinzu oder entfernt ihn.</translation>
    </message>
    <message>
        <source>Layer %1: click to add an anchor (tokens are reduced after this layer)</source>
        <translation>Schicht %1: klicken, um einen Anker hinzuzufügen (Tokens werden nach dieser Schicht reduziert)</translation>
    </message>
    <message>
        <source>Layer %1: anchor, keeps %2 of its tokens; click to remove it</source>
        <translation>Schicht %1: Anker, behält den Anteil %2 ihrer Tokens; klicken, um ihn zu entfernen</translation>
    </message>
    <message>
        <source>No model</source>
        <translation>Kein Modell</translation>
    </message>
</context>
<context>
    <name>ssmlens::SessionFile</name>
    <message>
        <source>%1: "%2" must be %3</source>
        <translation>%1: „%2“ muss %3 sein</translation>
    </message>
    <message>
        <source>an object</source>
        <translation>ein Objekt</translation>
    </message>
    <message>
        <source>a list</source>
        <translation>eine Liste</translation>
    </message>
    <message>
        <source>text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>an integer, -1 or more</source>
        <translation>eine ganze Zahl, -1 oder größer</translation>
    </message>
    <message>
        <source>a number</source>
        <translation>eine Zahl</translation>
    </message>
    <message>
        <source>SSM Lens sessions (*%1)</source>
        <translation>SSM-Lens-Sitzungen (*%1)</translation>
    </message>
    <message>
        <source>%1: not an SSM Lens session (no "format": "%2")</source>
        <translation>%1: keine SSM-Lens-Sitzung (kein "format": "%2")</translation>
    </message>
    <message>
        <source>%1: session version %2 is not supported (this build reads %3)</source>
        <translation>%1: Sitzungsversion %2 wird nicht unterstützt (dieser Build liest %3)</translation>
    </message>
    <message>
        <source>%1: the session has no schedule</source>
        <translation>%1: Die Sitzung enthält keinen Zeitplan</translation>
    </message>
    <message>
        <source>%1: malformed session (%2)</source>
        <translation>%1: fehlerhafte Sitzung (%2)</translation>
    </message>
    <message>
        <source>%1: cannot write the session (%2)</source>
        <translation>%1: Sitzung kann nicht geschrieben werden (%2)</translation>
    </message>
    <message>
        <source>%1: cannot write (%2)</source>
        <translation>%1: kann nicht geschrieben werden (%2)</translation>
    </message>
    <message>
        <source>%1: no such file</source>
        <translation>%1: Datei nicht gefunden</translation>
    </message>
    <message>
        <source>%1: cannot read (%2)</source>
        <translation>%1: kann nicht gelesen werden (%2)</translation>
    </message>
    <message>
        <source>%1: not a JSON file (%2)</source>
        <translation>%1: keine JSON-Datei (%2)</translation>
    </message>
</context>
<context>
    <name>ssmlens::SimilarityGraph</name>
    <message>
        <source>Minimum cosine:</source>
        <translation>Minimaler Kosinus:</translation>
    </message>
    <message>
        <source>Hide edges whose cosine similarity is below this value (merges always stay)</source>
        <translation>Kanten ausblenden, deren Kosinus-Ähnlichkeit unter diesem Wert liegt (Verschmelzungen bleiben immer sichtbar)</translation>
    </message>
    <message>
        <source>%1 of %2 edges shown</source>
        <translation>%1 von %2 Kanten angezeigt</translation>
    </message>
    <message>
        <source>No trace yet: run a prompt with a reduction schedule to see which tokens are alike.</source>
        <translation>Noch kein Trace: einen Prompt mit einem Reduktionszeitplan ausführen, um zu sehen, welche Tokens sich ähneln.</translation>
    </message>
    <message>
        <source>Layer %1 has no A/B split to draw.</source>
        <translation>Schicht %1 hat keine A/B-Aufteilung zum Zeichnen.</translation>
    </message>
    <message>
        <source>Layer %1 does not reduce tokens, so it has no A/B split and no matches to draw.</source>
        <translation>Schicht %1 reduziert keine Tokens; daher gibt es keine A/B-Aufteilung und keine Zuordnungen zum Zeichnen.</translation>
    </message>
    <message>
        <source>This schedule has no anchor layers.</source>
        <translation>Dieser Zeitplan hat keine Ankerschichten.</translation>
    </message>
    <message>
        <source>Anchor layers: %1</source>
        <translation>Ankerschichten: %1</translation>
    </message>
    <message>
        <source>token %1 "%2"</source>
        <translation>Token %1 „%2“</translation>
    </message>
    <message>
        <source>token %1</source>
        <translation>Token %1</translation>
    </message>
    <message>
        <source>set A (candidate)</source>
        <translation>Menge A (Kandidat)</translation>
    </message>
    <message>
        <source>set B (destination)</source>
        <translation>Menge B (Ziel)</translation>
    </message>
    <message>
        <source>into token %1</source>
        <translation>in Token %1</translation>
    </message>
    <message>
        <source>importance %1</source>
        <translation>Wichtigkeit %1</translation>
    </message>
    <message>
        <source>best match: token %1, cosine %2</source>
        <translation>ähnlichstes Token: %1, Kosinus %2</translation>
    </message>
    <message>
        <source>merged</source>
        <translation>verschmolzen</translation>
    </message>
    <message>
        <source>best match</source>
        <translation>beste Übereinstimmung</translation>
    </message>
    <message>
        <source>similar pair</source>
        <translation>ähnliches Paar</translation>
    </message>
    <message>
        <source>%1 and %2: %3</source>
        <translation>%1 und %2: %3</translation>
    </message>
    <message>
        <source>cosine %1</source>
        <translation>Kosinus %1</translation>
    </message>
    <message>
        <source>Token similarity</source>
        <translation>Token-Ähnlichkeit</translation>
    </message>
    <message>
        <source>Token similarity at layer %1</source>
        <translation>Token-Ähnlichkeit in Schicht %1</translation>
    </message>
    <message>
        <source>The reduction step splits the %1 tokens into candidates (A) and destinations (B); each A token is matched to its most similar B token. %2 merged, %3 pruned. Shown: edges with cosine at least %4 (%5 of %6); merges always.</source>
        <translation>Der Reduktionsschritt teilt die %1 Tokens in Kandidaten (A) und Ziele (B); jedes A-Token wird seinem ähnlichsten B-Token zugeordnet. %2 verschmolzen, %3 entfernt. Angezeigt: Kanten mit Kosinus von mindestens %4 (%5 von %6); Verschmelzungen immer.</translation>
    </message>
    <message>
        <source>merged into (arrow)</source>
        <translation>verschmolzen in (Pfeil)</translation>
    </message>
    <message>
        <source>best match of an A token</source>
        <translation>beste Übereinstimmung eines A-Tokens</translation>
    </message>
    <message>
        <source>edges of the selected token</source>
        <translation>Kanten des ausgewählten Tokens</translation>
    </message>
    <message>
        <source>cosine</source>
        <translation>Kosinus</translation>
    </message>
    <message>
        <source>A: candidates (%1)</source>
        <translation>A: Kandidaten (%1)</translation>
    </message>
    <message>
        <source>B: destinations (%1)</source>
        <translation>B: Ziele (%1)</translation>
    </message>
</context>
<context>
    <name>ssmlens::TokenFateStyle</name>
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
        <source>◆ Content-independent anchor: the method chose which tokens go, and where, by position alone.</source>
        <translation>◆ Inhaltsunabhängiger Anker: welche Tokens wegfallen und wohin, hat das Verfahren allein nach der Position gewählt.</translation>
    </message>
</context>
<context>
    <name>ssmlens::TokenStrip</name>
    <message>
        <source>layer %1, %2: %3</source>
        <translation>Schicht %1, %2: %3</translation>
    </message>
    <message>
        <source>token %1 "%2"</source>
        <translation>Token %1 „%2“</translation>
    </message>
    <message>
        <source>token %1</source>
        <translation>Token %1</translation>
    </message>
    <message>
        <source>Token fates</source>
        <translation>Verbleib der Tokens</translation>
    </message>
    <message>
        <source>Token fates at layer %1</source>
        <translation>Verbleib der Tokens in Schicht %1</translation>
    </message>
    <message>
        <source>No trace yet: run a prompt with a reduction schedule to see what happens to each token.</source>
        <translation>Noch kein Trace: einen Prompt mit einem Reduktionszeitplan ausführen, um zu sehen, was mit jedem Token geschieht.</translation>
    </message>
    <message>
        <source>Layer %1 does not reduce tokens: %2 tokens pass through; %3 of the prompt's %4 tokens left at earlier layers.</source>
        <translation>Schicht %1 reduziert keine Tokens: %2 Tokens laufen durch; %3 der %4 Tokens des Prompts sind in früheren Schichten weggefallen.</translation>
    </message>
    <message>
        <source>kept, receives merged tokens</source>
        <translation>behalten, nimmt verschmolzene Tokens auf</translation>
    </message>
    <message>
        <source>merged (arrow: into which token)</source>
        <translation>verschmolzen (Pfeil: in welches Token)</translation>
    </message>
    <message>
        <source>(id %1)</source>
        <translation>(ID %1)</translation>
    </message>
    <message>
        <source>layer %1: %2</source>
        <translation>Schicht %1: %2</translation>
    </message>
    <message>
        <source>into %1</source>
        <translation>in %1</translation>
    </message>
    <message>
        <source>(%1% of channels)</source>
        <translation>(%1% der Kanäle)</translation>
    </message>
    <message>
        <source>receives tokens %1</source>
        <translation>nimmt Tokens %1 auf</translation>
    </message>
    <message>
        <source>%1 at layer %2</source>
        <translation>%1 in Schicht %2</translation>
    </message>
    <message>
        <source>reaches the output</source>
        <translation>erreicht die Ausgabe</translation>
    </message>
    <message>
        <source>Show every merge arrow</source>
        <translation>Jeden Verschmelzungspfeil zeigen</translation>
    </message>
    <message>
        <source>Off: only the arrows of the selected token (click a token). Long prompts start with this off, as all their arrows together are a tangle.</source>
        <translation>Aus: nur die Pfeile des ausgewählten Tokens (ein Token anklicken). Lange Prompts beginnen damit ausgeschaltet, da alle ihre Pfeile zusammen ein Gewirr sind.</translation>
    </message>
    <message>
        <source>Anchor layer (keep ratio %1): %2 tokens in, %3 out; %4 merged, %5 pruned.</source>
        <translation>Ankerschicht (Behaltquote %1): %2 Tokens hinein, %3 heraus; %4 verschmolzen, %5 entfernt.</translation>
    </message>
    <message>
        <source>Click a token to see its merge arrows.</source>
        <translation>Ein Token anklicken, um seine Verschmelzungspfeile zu sehen.</translation>
    </message>
    <message>
        <source>When each token leaves: a row per layer (top to bottom), a column per prompt token with its text below. Anchor layers in bold; click a row to show that layer.</source>
        <translation>Wann jedes Token wegfällt: eine Zeile je Schicht (von oben nach unten), eine Spalte je Prompt-Token mit seinem Text darunter. Ankerschichten fett; eine Zeile anklicken, um diese Schicht anzuzeigen.</translation>
    </message>
    <message>
        <source>When each token leaves: a row per layer (click to show it), a column per token</source>
        <translation>Wann jedes Token wegfällt: eine Zeile je Schicht (Klick zeigt sie), eine Spalte je Token</translation>
    </message>
    <message>
        <source>When each token leaves: a row per layer, a column per token</source>
        <translation>Wann jedes Token wegfällt: eine Zeile je Schicht, eine Spalte je Token</translation>
    </message>
</context>
<context>
    <name>ssmlens::TokenWeightStrip</name>
    <message>
        <source>token %1 “%2”: %3</source>
        <translation>Token %1 „%2“: %3</translation>
    </message>
    <message>
        <source>token %1 “%2”: none</source>
        <translation>Token %1 „%2“: keiner</translation>
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
    <message>
        <source>A token-layer is one token passing through one layer: the layers' work. The FLOPs also count the output head, which reads the last token whatever the schedule, so they fall a little less. Click a layer to select it in every view.</source>
        <translation>Eine Token-Schicht ist ein Token, das eine Schicht durchläuft: die Arbeit der Schichten. Die FLOPs zählen auch den Ausgabekopf, der unabhängig vom Zeitplan das letzte Token liest, und sinken daher etwas weniger. Eine Schicht anklicken, um sie in allen Ansichten auszuwählen.</translation>
    </message>
</context>
<context>
    <name>ssmlens::TunePanel</name>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>FLOPs reduction the schedule must reach (FlopsModel on the calibration lengths)</source>
        <translation>FLOPs-Einsparung, die der Zeitplan erreichen muss (FlopsModel auf den Längen der Kalibrierdaten)</translation>
    </message>
    <message>
        <source>Budget:</source>
        <translation>Budget:</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>Method:</source>
        <translation>Verfahren:</translation>
    </message>
    <message>
        <source>Also search the method's options</source>
        <translation>Auch die Optionen des Verfahrens durchsuchen</translation>
    </message>
    <message>
        <source>Importance metric, hidden-state and residual strategies, granularity, where the method has them</source>
        <translation>Wichtigkeitsmaß, Strategien für Hidden State und Residuum, Granularität, soweit das Verfahren sie hat</translation>
    </message>
    <message>
        <source>Demo model's bundled data (lambada, cloze, text)</source>
        <translation>Mitgelieferte Daten des Demomodells (Lambada, Lückentext, Text)</translation>
    </message>
    <message>
        <source>Choose files…</source>
        <translation>Dateien wählen…</translation>
    </message>
    <message>
        <source>Text files (one paragraph per line) or benchmark files of the six tasks; every second example is held out from the search</source>
        <translation>Textdateien (ein Absatz pro Zeile) oder Benchmark-Dateien der sechs Aufgaben; jedes zweite Beispiel wird der Suche vorenthalten</translation>
    </message>
    <message>
        <source>Data:</source>
        <translation>Daten:</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Time limit of the search</source>
        <translation>Zeitlimit der Suche</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>keine Grenze</translation>
    </message>
    <message>
        <source>Stop after this many candidates (0: only the time limit)</source>
        <translation>Nach so vielen Kandidaten anhalten (0: nur das Zeitlimit)</translation>
    </message>
    <message>
        <source>The same seed and settings give the same search</source>
        <translation>Gleicher Seed und gleiche Einstellungen ergeben dieselbe Suche</translation>
    </message>
    <message>
        <source>Candidates:</source>
        <translation>Kandidaten:</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>Seed:</translation>
    </message>
    <message>
        <source>Time limit:</source>
        <translation>Zeitlimit:</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>Search for the schedule closest to the dense model within the budget</source>
        <translation>Den Zeitplan suchen, der innerhalb des Budgets dem dichten Modell am nächsten kommt</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Continue the stopped search where it was</source>
        <translation>Die angehaltene Suche dort fortsetzen, wo sie war</translation>
    </message>
    <message>
        <source>Open a model, set a budget and start</source>
        <translation>Ein Modell öffnen, ein Budget setzen und starten</translation>
    </message>
    <message>
        <source>Click a candidate on the plot to see it</source>
        <translation>Einen Kandidaten im Diagramm anklicken, um ihn zu sehen</translation>
    </message>
    <message>
        <source>Apply to the editor</source>
        <translation>In den Editor übernehmen</translation>
    </message>
    <message>
        <source>Load the selected candidate into the schedule editor (undoable)</source>
        <translation>Den gewählten Kandidaten in den Zeitplan-Editor laden (rückgängig machbar)</translation>
    </message>
    <message>
        <source>Calibration data: text files (.txt) or task files (lambada_test.jsonl, hellaswag_val.jsonl, …)</source>
        <translation>Kalibrierdaten: Textdateien (.txt) oder Aufgabendateien (lambada_test.jsonl, hellaswag_val.jsonl, …)</translation>
    </message>
    <message>
        <source>Ready: set a budget and start</source>
        <translation>Bereit: Budget setzen und starten</translation>
    </message>
    <message>
        <source>Continuing the search…</source>
        <translation>Die Suche wird fortgesetzt…</translation>
    </message>
    <message>
        <source>Starting the search…</source>
        <translation>Die Suche wird gestartet…</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Wird angehalten…</translation>
    </message>
    <message>
        <source>Calibration: %1</source>
        <translation>Kalibrierung: %1</translation>
    </message>
    <message>
        <source>Candidates: %1; none within the budget yet</source>
        <translation>Kandidaten: %1; noch keiner innerhalb des Budgets</translation>
    </message>
    <message>
        <source>Candidates: %1; best #%2: KL %3 at FLOPs −%4%</source>
        <translation>Kandidaten: %1; bester #%2: KL %3 bei FLOPs −%4%</translation>
    </message>
    <message>
        <source>time limit reached</source>
        <translation>Zeitlimit erreicht</translation>
    </message>
    <message>
        <source>candidate limit reached</source>
        <translation>Kandidatengrenze erreicht</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>angehalten</translation>
    </message>
    <message>
        <source>nothing left to try</source>
        <translation>nichts mehr zu versuchen</translation>
    </message>
    <message>
        <source>Search finished (%1). %2</source>
        <translation>Suche beendet (%1). %2</translation>
    </message>
    <message>
        <source>No candidate selected</source>
        <translation>Kein Kandidat gewählt</translation>
    </message>
    <message>
        <source>paper preset</source>
        <translation>Voreinstellung des Papers</translation>
    </message>
    <message>
        <source>starting point</source>
        <translation>Startpunkt</translation>
    </message>
    <message>
        <source>search</source>
        <translation>Suche</translation>
    </message>
    <message>
        <source>random</source>
        <translation>zufällig</translation>
    </message>
    <message>
        <source>another budget</source>
        <translation>anderes Budget</translation>
    </message>
    <message>
        <source>one keep ratio</source>
        <translation>eine Behaltquote</translation>
    </message>
    <message>
        <source>&lt;b&gt;#%1&lt;/b&gt; (%2%3): FLOPs −%4%, tokens −%5%, KL %6 nats&lt;br&gt;%7 · metric %8 · hidden %9 · residual %10 · %11&lt;br&gt;anchors %12</source>
        <translation>&lt;b&gt;#%1&lt;/b&gt; (%2%3): FLOPs −%4%, Tokens −%5%, KL %6 nats&lt;br&gt;%7 · Maß %8 · Hidden %9 · Residuum %10 · %11&lt;br&gt;Anker %12</translation>
    </message>
    <message>
        <source>, best within the budget</source>
        <translation>, bester innerhalb des Budgets</translation>
    </message>
</context>
<context>
    <name>ssmlens::TunePlot</name>
    <message>
        <source>Schedule search: objective against FLOPs reduction</source>
        <translation>Zeitplansuche: Zielgröße gegen FLOPs-Einsparung</translation>
    </message>
    <message>
        <source>FLOPs reduction (%)</source>
        <translation>FLOPs-Einsparung (%)</translation>
    </message>
    <message>
        <source>mean KL to dense (nats, log)</source>
        <translation>mittlere KL zu dicht (nats, log.)</translation>
    </message>
    <message>
        <source>stopped early (clearly worse)</source>
        <translation>früh abgebrochen (deutlich schlechter)</translation>
    </message>
    <message>
        <source>candidate</source>
        <translation>Kandidat</translation>
    </message>
    <message>
        <source>paper preset</source>
        <translation>Voreinstellung des Papers</translation>
    </message>
    <message>
        <source>Pareto front</source>
        <translation>Pareto-Front</translation>
    </message>
    <message>
        <source>schedule in the editor</source>
        <translation>Zeitplan im Editor</translation>
    </message>
    <message>
        <source>budget %1%</source>
        <translation>Budget %1%</translation>
    </message>
    <message>
        <source>editor (not scored)</source>
        <translation>Editor (nicht bewertet)</translation>
    </message>
    <message>
        <source>selected</source>
        <translation>gewählt</translation>
    </message>
</context>
<context>
    <name>ssmlens::TuneWorker</name>
    <message>
        <source>Loading the model for the search…</source>
        <translation>Das Modell für die Suche wird geladen…</translation>
    </message>
    <message>
        <source>Dense pass over the calibration data</source>
        <translation>Dichter Durchlauf über die Kalibrierdaten</translation>
    </message>
    <message>
        <source>Searching</source>
        <translation>Suche läuft</translation>
    </message>
</context>
</TS>