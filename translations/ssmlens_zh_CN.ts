<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>QObject</name>
    <message>
        <source>--export %1=%2: no view called "%1" (views: %3)</source>
        <translation>--export %1=%2：没有名为“%1”的视图（视图：%3）</translation>
    </message>
</context>
<context>
    <name>SamplePrompts</name>
    <message>
        <source>Genesis (King James Bible)</source>
        <translation>创世记（英王钦定本圣经）</translation>
    </message>
    <message>
        <source>A dictionary definition</source>
        <translation>词典释义</translation>
    </message>
    <message>
        <source>Linux documentation</source>
        <translation>Linux 文档</translation>
    </message>
    <message>
        <source>A repeated name (long)</source>
        <translation>反复出现的名字（长）</translation>
    </message>
</context>
<context>
    <name>ssmlens::AboutDialog</name>
    <message>
        <source>CPU threads: %1</source>
        <translation>CPU 线程：%1</translation>
    </message>
    <message>
        <source>CUDA: no GPU available</source>
        <translation>CUDA：无可用 GPU</translation>
    </message>
    <message>
        <source>CUDA GPU %1: %2</source>
        <translation>CUDA GPU %1：%2</translation>
    </message>
    <message>
        <source>See what token reduction does inside a Mamba-2 language model.</source>
        <translation>查看词元缩减在 Mamba-2 语言模型内部的作用。</translation>
    </message>
    <message>
        <source>Qt %1 (built with %2)&lt;br&gt;libtorch %3</source>
        <translation>Qt %1（使用 %2 构建）&lt;br&gt;libtorch %3</translation>
    </message>
    <message>
        <source>Built around the methods of Zhan et al., “Rethinking Token Reduction for State Space Models”, EMNLP 2024.</source>
        <translation>基于 Zhan 等人的方法：“Rethinking Token Reduction for State Space Models”，EMNLP 2024。</translation>
    </message>
    <message>
        <source>Qt is used under the GNU LGPL v3, libtorch under the PyTorch BSD-style licence.</source>
        <translation>Qt 依据 GNU LGPL v3 使用，libtorch 依据 PyTorch 的 BSD 风格许可证使用。</translation>
    </message>
    <message>
        <source>About SSM Lens</source>
        <translation>关于 SSM Lens</translation>
    </message>
</context>
<context>
    <name>ssmlens::AccuracyBars</name>
    <message>
        <source>Accuracy: dense and reduced</source>
        <translation>准确率：完整与缩减</translation>
    </message>
    <message>
        <source>dense</source>
        <translation>完整</translation>
    </message>
    <message>
        <source>with reduction</source>
        <translation>缩减后</translation>
    </message>
    <message>
        <source>accuracy (%)</source>
        <translation>准确率（%）</translation>
    </message>
    <message>
        <source>task and metric</source>
        <translation>任务与指标</translation>
    </message>
    <message>
        <source>No results yet: run the accuracy check</source>
        <translation>尚无结果：请运行准确率检查</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>Out of date: %1</source>
        <translation>已过期：%1</translation>
    </message>
</context>
<context>
    <name>ssmlens::AccuracyPanel</name>
    <message>
        <source>Choose a data file…</source>
        <translation>选择数据文件…</translation>
    </message>
    <message>
        <source>Zero-shot task, scored as lm-evaluation-harness v0.4 does</source>
        <translation>零样本任务，按 lm-evaluation-harness v0.4 的方式评分</translation>
    </message>
    <message>
        <source>Task:</source>
        <translation>任务：</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Score only the first N examples (0: all)</source>
        <translation>只评估前 N 个样例（0：全部）</translation>
    </message>
    <message>
        <source>Examples:</source>
        <translation>样例：</translation>
    </message>
    <message>
        <source>Run dense and reduced</source>
        <translation>运行完整与缩减</translation>
    </message>
    <message>
        <source>Score the task with the dense model and with the current schedule (Ctrl+R)</source>
        <translation>分别用完整模型和当前调度评估该任务（Ctrl+R）</translation>
    </message>
    <message>
        <source>Sweep</source>
        <translation>扫描</translation>
    </message>
    <message>
        <source>Score keep ratios 1.0 to 0.5 (depth-scaled schedules of the current method) for the accuracy-against-FLOPs plot</source>
        <translation>评估保留比例 1.0 到 0.5（当前方法的按深度缩放调度），用于绘制准确率–FLOPs 图</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Progress:</source>
        <translation>进度：</translation>
    </message>
    <message>
        <source>Dense vs reduced</source>
        <translation>完整与缩减</translation>
    </message>
    <message>
        <source>Accuracy vs FLOPs</source>
        <translation>准确率与 FLOPs</translation>
    </message>
    <message>
        <source>Open a model first</source>
        <translation>请先打开模型</translation>
    </message>
    <message>
        <source>Choose a task file (lambada_test.jsonl, hellaswag_val.jsonl, valid.jsonl, ARC-*.jsonl, dev.jsonl)</source>
        <translation>选择任务文件（lambada_test.jsonl、hellaswag_val.jsonl、valid.jsonl、ARC-*.jsonl、dev.jsonl）</translation>
    </message>
    <message>
        <source>%1: the task is not clear from the file name; rename it as distributed (e.g. lambada_test.jsonl)</source>
        <translation>%1：无法从文件名判断任务；请按原始发布时的文件名重命名（例如 lambada_test.jsonl）</translation>
    </message>
    <message>
        <source>Scoring %1…</source>
        <translation>正在评估 %1…</translation>
    </message>
    <message>
        <source>Sweeping %1 over keep ratios 1.0 to 0.5…</source>
        <translation>正在以保留比例 1.0 到 0.5 扫描 %1…</translation>
    </message>
    <message>
        <source>%1: %2 examples; %3 could not be scored under reduction</source>
        <translation>%1：%2 个样例；%3 个在缩减下无法评分</translation>
    </message>
    <message>
        <source>%1: cannot write (%2)</source>
        <translation>%1：无法写入（%2）</translation>
    </message>
    <message>
        <source>How the reduced pass is read. Correct scoring takes the log-probabilities of the positions that predict the answer; the paper's evaluation (lm-evaluation-harness over the authors' code) pads batches of 96 and slices the shortened output as if it had kept its length, so it can read other positions (counted as misread).</source>
        <translation>如何读取缩减后的前向结果。正确评分取预测答案的那些位置的对数概率；论文的评测（基于作者代码的 lm-evaluation-harness）将批次填充到 96 条，并把缩短后的输出当作长度未变来切片，因此可能读到其他位置（计为误读）。</translation>
    </message>
    <message>
        <source>Scoring:</source>
        <translation>评分：</translation>
    </message>
    <message>
        <source>%1: %2 examples, scored as the paper's evaluation; %3 requests read other positions than those that predict the answer</source>
        <translation>%1：%2 个样例，按论文的评测评分；%3 个请求读取了并非预测答案的位置</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Cancelled; the results shown are those from before.</source>
        <translation>已取消；显示的是之前的结果。</translation>
    </message>
    <message>
        <source>Accuracy, dense and with %1: %2% fewer FLOPs on this task</source>
        <translation>准确率，完整与 %1：此任务上 FLOPs 减少 %2%</translation>
    </message>
    <message>
        <source>%1: %2 · %3 · %4 examples</source>
        <translation>%1：%2 · %3 · %4 个样例</translation>
    </message>
    <message>
        <source>&lt;b&gt;Out of date:&lt;/b&gt; computed for another schedule or model (hatched). Run again for the current one.</source>
        <translation>&lt;b&gt;已过期：&lt;/b&gt;按另一调度或模型计算（带阴影线）。请为当前设置重新运行。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Computed for:&lt;/b&gt;</source>
        <translation>&lt;b&gt;计算条件：&lt;/b&gt;</translation>
    </message>
    <message>
        <source>FLOPs are the mean over the task's examples, so they differ from the prompt's.</source>
        <translation>FLOPs 是任务各样例的平均值，因此与提示的不同。</translation>
    </message>
    <message>
        <source>Sweep done: %1 keep ratios of %2</source>
        <translation>扫描完成：%2 的 %1 个保留比例</translation>
    </message>
    <message>
        <source>%1: nothing to export: run an accuracy check or a sweep first</source>
        <translation>%1：没有可导出的内容：请先运行准确率检查或扫描</translation>
    </message>
    <message>
        <source> · scored as the paper's evaluation</source>
        <translation> · 按论文的评测评分</translation>
    </message>
    <message>
        <source>%1 (demo model)</source>
        <translation>%1（演示模型）</translation>
    </message>
    <message>
        <source>The demo model's held-out set of %1: text it was not trained on</source>
        <translation>演示模型的 %1 留出集：模型未曾训练过的文本</translation>
    </message>
    <message>
        <source>%1 (tiny sample)</source>
        <translation>%1（小样例）</translation>
    </message>
    <message>
        <source>A tiny sample of %1 bundled with SSM Lens: a quick check, not a measurement</source>
        <translation>SSM Lens 内置的 %1 小型样例：用于快速检查，不是正式测量</translation>
    </message>
    <message>
        <source>A task file of your own in its JSONL form (lambada_test.jsonl, hellaswag_val.jsonl, valid.jsonl, ARC-*.jsonl, dev.jsonl)</source>
        <translation>自己的 JSONL 格式任务文件（lambada_test.jsonl、hellaswag_val.jsonl、valid.jsonl、ARC-*.jsonl、dev.jsonl）</translation>
    </message>
    <message>
        <source>Correct</source>
        <translation>正确</translation>
    </message>
    <message>
        <source>Correct: each answer position is found among the tokens that survive the reduction, and its log-probability is read there.</source>
        <translation>正确：在缩减后保留的词元中找到每个答案位置，并在该处读取其对数概率。</translation>
    </message>
    <message>
        <source>As in the paper</source>
        <translation>按论文</translation>
    </message>
    <message>
        <source>As the paper's evaluation: positions are counted from the end of the shortened output as if it had kept its length, so other positions can be read (counted as misread).</source>
        <translation>按论文的评测：从缩短后输出的末尾计数位置，仿佛其长度未变，因此可能读到其他位置（计为误读）。</translation>
    </message>
</context>
<context>
    <name>ssmlens::AccuracySweepPlot</name>
    <message>
        <source>Accuracy against FLOPs reduction (depth-scaled schedules)</source>
        <translation>准确率与 FLOPs 减少量（按深度缩放的调度）</translation>
    </message>
    <message>
        <source>accuracy (%)</source>
        <translation>准确率（%）</translation>
    </message>
    <message>
        <source>current schedule (%1)</source>
        <translation>当前调度（%1）</translation>
    </message>
    <message>
        <source>Out of date (another model): %1</source>
        <translation>已过期（另一模型）：%1</translation>
    </message>
    <message>
        <source>FLOPs reduction on the task (%)</source>
        <translation>任务上的 FLOPs 减少（%）</translation>
    </message>
</context>
<context>
    <name>ssmlens::AppCommandLine</name>
    <message>
        <source>SSM Lens: see what token reduction does inside a Mamba-2 model</source>
        <translation>SSM Lens：查看词元缩减在 Mamba-2 模型内部的作用</translation>
    </message>
    <message>
        <source>Checkpoint folder to open (default: the bundled demo model)</source>
        <translation>要打开的检查点文件夹（默认：随附的演示模型）</translation>
    </message>
    <message>
        <source>Tokenizer file for a checkpoint that has none (tokenizer.json or a .model)</source>
        <translation>为没有分词器的检查点指定分词器文件（tokenizer.json 或 .model 文件）</translation>
    </message>
    <message>
        <source>Prompt to start with (default: a sample prompt)</source>
        <translation>启动时的提示（默认：一个示例提示）</translation>
    </message>
    <message>
        <source>Reduction schedule to start with (JSON, as saved by the window or ssmlens-cli schedule)</source>
        <translation>启动时的缩减调度（JSON，由窗口或 ssmlens-cli schedule 保存）</translation>
    </message>
    <message>
        <source>Size of exported figures in pixels (default 1600x1000)</source>
        <translation>导出图形的像素尺寸（默认 1600x1000）</translation>
    </message>
    <message>
        <source>Resolution of exported figures: their size on paper is pixels / dpi inches (default 96)</source>
        <translation>导出图形的分辨率：纸面尺寸为 像素 / dpi 英寸（默认 96）</translation>
    </message>
    <message>
        <source>Text size of exported figures in points (default 9)</source>
        <translation>导出图形的文字磅值（默认 9）</translation>
    </message>
    <message>
        <source>Token selected in the exported views (default: none)</source>
        <translation>导出视图中选中的词元（默认：无）</translation>
    </message>
    <message>
        <source>Save a screenshot of the window after the first result, then quit</source>
        <translation>得到第一个结果后保存窗口截图并退出</translation>
    </message>
    <message>
        <source>Window size for the screenshot</source>
        <translation>截图时的窗口尺寸</translation>
    </message>
    <message>
        <source>Same as --export heatmap=FILE</source>
        <translation>等同于 --export heatmap=文件</translation>
    </message>
    <message>
        <source>Run the accuracy check on the first bundled sample after the first result</source>
        <translation>得到第一个结果后，用第一个内置样例运行准确率检查</translation>
    </message>
    <message>
        <source>Measure N slider moves (change to redrawn views), print JSON, quit</source>
        <translation>测量 N 次滑块移动（从更改到视图重绘完成），输出 JSON 后退出</translation>
    </message>
    <message>
        <source>Interface language: en, de or zh_CN (default: the one chosen in the window, else the system's)</source>
        <translation>界面语言：en、de 或 zh_CN（默认：窗口中选择的语言，否则为系统语言）</translation>
    </message>
    <message>
        <source>unexpected argument "%1" (options start with --; see --help)</source>
        <translation>意外的参数“%1”（选项以 -- 开头；参见 --help）</translation>
    </message>
    <message>
        <source>--%1 %2: not a whole number</source>
        <translation>--%1 %2：不是整数</translation>
    </message>
    <message>
        <source>--size %1: give the width and height in pixels, each from 100 to 20000, e.g. 1600x1000</source>
        <translation>--size %1：请给出以像素计的宽和高，各为 100 到 20000，例如 1600x1000</translation>
    </message>
    <message>
        <source>--window-size %1: give the width and height in pixels, e.g. 1920x1200</source>
        <translation>--window-size %1：请给出以像素计的宽和高，例如 1920x1200</translation>
    </message>
    <message>
        <source>--export %1: write it as VIEW=FILE, e.g. --export heatmap=heatmap.pdf</source>
        <translation>--export %1：请写成 视图=文件，例如 --export heatmap=heatmap.pdf</translation>
    </message>
    <message>
        <source>--export %1: unknown image format "%2" (use .png, .pdf or .svg)</source>
        <translation>--export %1：未知图像格式“%2”（请用 .png、.pdf 或 .svg）</translation>
    </message>
    <message>
        <source>--%1 %2: give a number from %3 to %4</source>
        <translation>--%1 %2：请给出 %3 到 %4 之间的数</translation>
    </message>
    <message>
        <source>Layer every view shows after the first result (default: the first anchor)</source>
        <translation>首个结果之后各视图显示的层（默认：第一个锚点）</translation>
    </message>
    <message>
        <source>Measure N layer changes in the Attention view, print JSON, quit</source>
        <translation>在注意力视图中测量 N 次切换层，输出 JSON 并退出</translation>
    </message>
    <message>
        <source>Start with the Attention view in front</source>
        <translation>启动时将注意力视图置于前台</translation>
    </message>
    <message>
        <source>Reduction method to start with (as ssmlens-cli --method)</source>
        <translation>启动时使用的缩减方法（同 ssmlens-cli --method）</translation>
    </message>
    <message>
        <source>--method %1: not with --schedule, whose file names its method</source>
        <translation>--method %1：不能与 --schedule 同用，其文件已指明方法</translation>
    </message>
    <message>
        <source>--method %1: %2</source>
        <translation>--method %1：%2</translation>
    </message>
    <message>
        <source>Export a view and quit, without a display; repeatable. VIEW: heatmap, strip, graph, tokens-per-layer, attention, importance-vs-attention, attribution, accuracy, accuracy-vs-flops. Format from FILE's extension: .png, .pdf, .svg</source>
        <translation>导出一个视图后退出，无需显示器；可重复。视图：heatmap、strip、graph、tokens-per-layer、attention、importance-vs-attention、attribution、accuracy、accuracy-vs-flops。格式取决于文件扩展名：.png、.pdf、.svg</translation>
    </message>
    <message>
        <source>Keep ratio q at every anchor, a number from %1 to 1</source>
        <translation>每个锚点的保留比例 q，%1 到 1 之间的数</translation>
    </message>
</context>
<context>
    <name>ssmlens::AttentionMatrixPlot</name>
    <message>
        <source>gone before</source>
        <translation>已提前移除</translation>
    </message>
    <message>
        <source>token read (s)</source>
        <translation>被读取的词元 (s)</translation>
    </message>
    <message>
        <source>token reading (t)</source>
        <translation>读取的词元 (t)</translation>
    </message>
    <message>
        <source>log10 |value|</source>
        <translation>log10 |值|</translation>
    </message>
    <message>
        <source>value (signed)</source>
        <translation>值（带符号）</translation>
    </message>
    <message>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>%1 “%2”</source>
        <translation>%1 “%2”</translation>
    </message>
    <message>
        <source>token %1 reads token %2</source>
        <translation>词元 %1 读取词元 %2</translation>
    </message>
    <message>
        <source>never: a token reads only itself and earlier tokens</source>
        <translation>从不：词元只读取自身和更早的词元</translation>
    </message>
    <message>
        <source>not in this pass: a token was removed before this layer</source>
        <translation>不在此次前向中：某个词元已在此层之前被移除</translation>
    </message>
    <message>
        <source>value %1</source>
        <translation>值 %1</translation>
    </message>
    <message>
        <source>(log10 |value| %1)</source>
        <translation>（log10 |值| %1）</translation>
    </message>
</context>
<context>
    <name>ssmlens::AttentionView</name>
    <message>
        <source>The layer shown (the same layer as the other views)</source>
        <translation>所显示的层（与其他视图相同）</translation>
    </message>
    <message>
        <source>One head's matrix, or the heads combined</source>
        <translation>单个头的矩阵，或合并所有头</translation>
    </message>
    <message>
        <source>Normalise rows</source>
        <translation>行归一化</translation>
    </message>
    <message>
        <source>Each row as the fractions of what the token reads: |M| divided by the row's sum of |M|, per head before combining</source>
        <translation>每一行表示该词元所读取内容的占比：|M| 除以该行 |M| 之和，在合并前按头分别计算</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>对数刻度</translation>
    </message>
    <message>
        <source>Colour by log10 of the magnitude (six decades below the largest)</source>
        <translation>按幅值的 log10 着色（最大值以下六个数量级）</translation>
    </message>
    <message>
        <source>Dense and reduced</source>
        <translation>稠密与缩减</translation>
    </message>
    <message>
        <source>Dense</source>
        <translation>稠密</translation>
    </message>
    <message>
        <source>Reduced</source>
        <translation>缩减</translation>
    </message>
    <message>
        <source>Which passes to show: the model without reduction, with the schedule, or both</source>
        <translation>显示哪些前向：不缩减的模型、使用调度的模型，或两者</translation>
    </message>
    <message>
        <source>reads from (row)</source>
        <translation>读取自（行）</translation>
    </message>
    <message>
        <source>is read by (column)</source>
        <translation>被读取于（列）</translation>
    </message>
    <message>
        <source>What the token strip shows for the selected token</source>
        <translation>词元条为所选词元显示的内容</translation>
    </message>
    <message>
        <source>Layer:</source>
        <translation>层：</translation>
    </message>
    <message>
        <source>Heads:</source>
        <translation>头：</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <source>Strip:</source>
        <translation>词元条：</translation>
    </message>
    <message>
        <source>Importance vs attention</source>
        <translation>重要性与注意力</translation>
    </message>
    <message>
        <source>Next-token attribution</source>
        <translation>下一个词元的归因</translation>
    </message>
    <message>
        <source>Mean over heads</source>
        <translation>各头平均</translation>
    </message>
    <message>
        <source>Max |M| over heads</source>
        <translation>各头最大 |M|</translation>
    </message>
    <message>
        <source>Head %1</source>
        <translation>头 %1</translation>
    </message>
    <message>
        <source>head %1</source>
        <translation>头 %1</translation>
    </message>
    <message>
        <source>max |M| over heads</source>
        <translation>各头最大 |M|</translation>
    </message>
    <message>
        <source>mean over heads</source>
        <translation>各头平均</translation>
    </message>
    <message>
        <source>%1, rows normalised</source>
        <translation>%1，行已归一化</translation>
    </message>
    <message>
        <source>Run a prompt to see what each token reads.</source>
        <translation>运行一个提示，以查看每个词元读取了什么。</translation>
    </message>
    <message>
        <source>Computing layer %1…</source>
        <translation>正在计算第 %1 层…</translation>
    </message>
    <message>
        <source>Dense, layer %1
%2</source>
        <translation>稠密，第 %1 层
%2</translation>
    </message>
    <message>
        <source>Reduced, layer %1
%2</source>
        <translation>缩减，第 %1 层
%2</translation>
    </message>
    <message>
        <source>Importance against attention received: needs a schedule</source>
        <translation>重要性与所获注意力：需要缩减调度</translation>
    </message>
    <message>
        <source>Click a token or a cell to see what it reads</source>
        <translation>点击一个词元或单元格，查看它读取了什么</translation>
    </message>
    <message>
        <source>dense</source>
        <translation>完整</translation>
    </message>
    <message>
        <source>reduced</source>
        <translation>缩减后</translation>
    </message>
    <message>
        <source>Token %1 “%2” is not in the %3 pass at layer %4: it was removed at an earlier anchor.</source>
        <translation>词元 %1 “%2” 在第 %4 层不在%3前向中：它已在更早的锚点被移除。</translation>
    </message>
    <message>
        <source>Token %1 “%2” reads from (layer %3, %4 pass, %5; green positive, purple negative):</source>
        <translation>词元 %1 “%2” 读取自（第 %3 层，%4前向，%5；绿色为正，紫色为负）：</translation>
    </message>
    <message>
        <source>Token %1 “%2” is read by (layer %3, %4 pass, %5; green positive, purple negative):</source>
        <translation>词元 %1 “%2” 被读取于（第 %3 层，%4前向，%5；绿色为正，紫色为负）：</translation>
    </message>
    <message>
        <source>Layer %1: %2 of %3 tokens present in the reduced pass</source>
        <translation>第 %1 层：缩减前向中存在 %3 个词元中的 %2 个</translation>
    </message>
    <message>
        <source>; this anchor merges %1 and prunes %2 (marked on the matrix edges)</source>
        <translation>；此锚点合并 %1 个、剪除 %2 个（标记在矩阵边缘）</translation>
    </message>
    <message>
        <source>. Computed in %1 ms.</source>
        <translation>。计算耗时 %1 毫秒。</translation>
    </message>
</context>
<context>
    <name>ssmlens::AttributionPlot</name>
    <message>
        <source>dense</source>
        <translation>完整</translation>
    </message>
    <message>
        <source>reduced</source>
        <translation>缩减后</translation>
    </message>
    <message>
        <source>token (position in the prompt)</source>
        <translation>词元（在提示中的位置）</translation>
    </message>
    <message>
        <source>share of the prediction</source>
        <translation>在预测中的占比</translation>
    </message>
    <message>
        <source>token %1 “%2”
dense %3, reduced %4</source>
        <translation>词元 %1 “%2”
稠密 %3，缩减 %4</translation>
    </message>
    <message>
        <source>Next-token attribution (rollout)</source>
        <translation>下一个词元的归因（注意力展开）</translation>
    </message>
</context>
<context>
    <name>ssmlens::Autosaver</name>
    <message>
        <source>%1: cannot autosave (%2)</source>
        <translation>%1：无法自动保存（%2）</translation>
    </message>
    <message>
        <source>%1: could not keep the previous session as %2</source>
        <translation>%1：无法将上一个会话保留为 %2</translation>
    </message>
</context>
<context>
    <name>ssmlens::ExportFigureDialog</name>
    <message>
        <source>Export figure</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <source>View:</source>
        <translation>视图：</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Width:</source>
        <translation>宽度：</translation>
    </message>
    <message>
        <source>Height:</source>
        <translation>高度：</translation>
    </message>
    <message>
        <source>DPI:</source>
        <translation>DPI：</translation>
    </message>
    <message>
        <source>PNG (image)</source>
        <translation>PNG（位图）</translation>
    </message>
    <message>
        <source>PDF (vector)</source>
        <translation>PDF（矢量）</translation>
    </message>
    <message>
        <source>SVG (vector)</source>
        <translation>SVG（矢量）</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <source>Dots per inch: with the size in pixels it gives the figure's size on paper. 1050 px at 300 dpi is 3.5 inches, a single column.</source>
        <translation>每英寸点数：与像素尺寸一起决定图在纸上的大小。300 dpi 下 1050 像素为 3.5 英寸，即单栏宽度。</translation>
    </message>
    <message>
        <source> pt</source>
        <translation> 磅</translation>
    </message>
    <message>
        <source>Size of the figure's text in points, whatever the resolution; titles are a little larger, tick labels a little smaller</source>
        <translation>图中文字的磅值，与分辨率无关；标题略大，刻度标签略小</translation>
    </message>
    <message>
        <source>Text size:</source>
        <translation>文字大小：</translation>
    </message>
    <message>
        <source>On paper:</source>
        <translation>纸面尺寸：</translation>
    </message>
    <message>
        <source>%1 × %2 cm (%3 × %4 in)</source>
        <translation>%1 × %2 厘米（%3 × %4 英寸）</translation>
    </message>
</context>
<context>
    <name>ssmlens::FigureExport</name>
    <message>
        <source>invalid size %1 x %2 px at %3 dpi</source>
        <translation>无效的尺寸 %1 x %2 像素，%3 dpi</translation>
    </message>
    <message>
        <source>invalid font size %1 pt (use 4 to 72)</source>
        <translation>无效的字号 %1 磅（请用 4 到 72）</translation>
    </message>
    <message>
        <source>%1: unknown image format "%2" (use .png, .pdf or .svg)</source>
        <translation>%1：未知的图像格式“%2”（请使用 .png、.pdf 或 .svg）</translation>
    </message>
    <message>
        <source>%1: cannot write (%2)</source>
        <translation>%1：无法写入（%2）</translation>
    </message>
    <message>
        <source>%1: could not be written (%2)</source>
        <translation>%1：无法写入（%2）</translation>
    </message>
</context>
<context>
    <name>ssmlens::ImportanceAttentionScatter</name>
    <message>
        <source>importance score (the reduction's metric)</source>
        <translation>重要性分数（缩减所用的指标）</translation>
    </message>
    <message>
        <source>attention received</source>
        <translation>所获注意力</translation>
    </message>
    <message>
        <source>token %1 “%2”
importance %3, attention received %4</source>
        <translation>词元 %1 “%2”
重要性 %3，所获注意力 %4</translation>
    </message>
    <message>
        <source>Importance vs attention received</source>
        <translation>重要性与所获注意力</translation>
    </message>
    <message>
        <source>Layer %1, Spearman ρ = %2</source>
        <translation>第 %1 层，Spearman ρ = %2</translation>
    </message>
    <message>
        <source>Layer %1</source>
        <translation>第 %1 层</translation>
    </message>
</context>
<context>
    <name>ssmlens::ImportanceHeatmap</name>
    <message>
        <source>token (position in the prompt)</source>
        <translation>词元（在提示中的位置）</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>layer %1, token %2 %3</source>
        <translation>第 %1 层，词元 %2 %3</translation>
    </message>
    <message>
        <source>importance %1</source>
        <translation>重要性 %1</translation>
    </message>
    <message>
        <source>into token %1</source>
        <translation>并入词元 %1</translation>
    </message>
    <message>
        <source>(%1% of channels)</source>
        <translation>（%1% 的通道）</translation>
    </message>
    <message>
        <source>best match: token %1, cosine %2</source>
        <translation>最佳匹配：词元 %1，余弦 %2</translation>
    </message>
    <message>
        <source>rel. importance</source>
        <translation>相对重要性</translation>
    </message>
    <message>
        <source>merged here</source>
        <translation>在此合并</translation>
    </message>
    <message>
        <source>pruned here</source>
        <translation>在此剪除</translation>
    </message>
    <message>
        <source>gone earlier</source>
        <translation>更早已移除</translation>
    </message>
    <message>
        <source>Colour: importance ÷ layer max · hatched: removed earlier · click: select · wheel: zoom · drag: pan · double click: all tokens</source>
        <translation>颜色：重要性 ÷ 该层最大值 · 阴影线：已在更早的层移除 · 单击：选择 · 滚轮：缩放 · 拖动：平移 · 双击：全部词元</translation>
    </message>
    <message>
        <source>anchor chose by position alone</source>
        <translation>锚点仅按位置选择</translation>
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
        <translation>打开 Mamba-2 检查点文件夹（state-spaces 或 Hugging Face 布局）</translation>
    </message>
    <message>
        <source>Type or paste a prompt</source>
        <translation>输入或粘贴提示</translation>
    </message>
    <message>
        <source>Prompt:</source>
        <translation>提示：</translation>
    </message>
    <message>
        <source>dense</source>
        <translation>完整</translation>
    </message>
    <message>
        <source>p</source>
        <translation>p</translation>
    </message>
    <message>
        <source>reduced</source>
        <translation>缩减后</translation>
    </message>
    <message>
        <source>Open a model folder to begin</source>
        <translation>打开一个模型文件夹以开始</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <source>Model loaded</source>
        <translation>模型已加载</translation>
    </message>
    <message>
        <source>dense %1 ms, reduced %2 ms</source>
        <translation>完整 %1 ms，缩减 %2 ms</translation>
    </message>
    <message>
        <source>Open a Mamba-2 checkpoint folder</source>
        <translation>打开 Mamba-2 检查点文件夹</translation>
    </message>
    <message>
        <source>Save schedule</source>
        <translation>保存调度</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>Sample prompts…</source>
        <translation>示例提示…</translation>
    </message>
    <message>
        <source>Replace the prompt with a sample</source>
        <translation>用示例替换当前提示</translation>
    </message>
    <message>
        <source>The ten most likely next tokens, dense and with the schedule</source>
        <translation>最可能的十个下一个词元：完整模型与应用调度后</translation>
    </message>
    <message>
        <source>Generate continuations</source>
        <translation>生成续写</translation>
    </message>
    <message>
        <source>32 greedy tokens from the dense model and after the reduced prefill (Ctrl+G)</source>
        <translation>由完整模型、以及在缩减预填充之后，各贪心生成 32 个词元（Ctrl+G）</translation>
    </message>
    <message>
        <source>Dense and reduced continuations appear here</source>
        <translation>完整与缩减的续写显示在此处</translation>
    </message>
    <message>
        <source>Token strip</source>
        <translation>词元条带</translation>
    </message>
    <message>
        <source>Similarity graph</source>
        <translation>相似度图</translation>
    </message>
    <message>
        <source>Tokens per layer</source>
        <translation>每层词元数</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>调度</translation>
    </message>
    <message>
        <source>Generating…</source>
        <translation>正在生成…</translation>
    </message>
    <message>
        <source>reduced pass %1 ms (dense pass of this prompt reused)</source>
        <translation>缩减前向 %1 ms（复用了此提示的完整前向）</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open model…</source>
        <translation>打开模型(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Export figure…</source>
        <translation>导出图表(&amp;E)…</translation>
    </message>
    <message>
        <source>Export &amp;trace (JSON)…</source>
        <translation>导出追踪数据 (JSON)(&amp;T)…</translation>
    </message>
    <message>
        <source>Export &amp;accuracy results (CSV)…</source>
        <translation>导出准确率结果 (CSV)(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Save schedule…</source>
        <translation>保存调度(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Import schedule…</source>
        <translation>导入调度(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo schedule edit</source>
        <translation>撤销调度编辑(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo schedule edit</source>
        <translation>重做调度编辑(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About SSM Lens</source>
        <translation>关于 SSM Lens(&amp;A)</translation>
    </message>
    <message>
        <source>Choose a tokenizer</source>
        <translation>选择分词器</translation>
    </message>
    <message>
        <source>Tokenizers (tokenizer.json *.json *.model)</source>
        <translation>分词器 (tokenizer.json *.json *.model)</translation>
    </message>
    <message>
        <source>Importance heatmap</source>
        <translation>重要性热力图</translation>
    </message>
    <message>
        <source>Accuracy bars</source>
        <translation>准确率柱状图</translation>
    </message>
    <message>
        <source>Accuracy vs FLOPs</source>
        <translation>准确率与 FLOPs</translation>
    </message>
    <message>
        <source>Export %1</source>
        <translation>导出%1</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Run a prompt first: the trace is what the views show.</source>
        <translation>请先运行一个提示：各视图显示的正是其追踪数据。</translation>
    </message>
    <message>
        <source>Export trace</source>
        <translation>导出追踪数据</translation>
    </message>
    <message>
        <source>%1: cannot write (%2)</source>
        <translation>%1：无法写入（%2）</translation>
    </message>
    <message>
        <source>Export accuracy results</source>
        <translation>导出准确率结果</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Import schedule</source>
        <translation>导入调度</translation>
    </message>
    <message>
        <source>Import %1</source>
        <translation>导入 %1</translation>
    </message>
    <message>
        <source>The session's schedule does not fit this model: %1</source>
        <translation>会话中的调度与此模型不匹配：%1</translation>
    </message>
    <message>
        <source>Save session</source>
        <translation>保存会话</translation>
    </message>
    <message>
        <source>Open session</source>
        <translation>打开会话</translation>
    </message>
    <message>
        <source>SSM Lens did not exit cleanly last time. Restore the session it was working on (model, prompt, schedule, accuracy results)?</source>
        <translation>SSM Lens 上次未正常退出。是否恢复当时正在处理的会话（模型、提示、调度、准确率结果）？</translation>
    </message>
    <message>
        <source>Open sessio&amp;n…</source>
        <translation>打开会话(&amp;N)…</translation>
    </message>
    <message>
        <source>Sa&amp;ve session…</source>
        <translation>保存会话(&amp;V)…</translation>
    </message>
    <message>
        <source>the prompt changed</source>
        <translation>提示已更改</translation>
    </message>
    <message>
        <source>the schedule changed</source>
        <translation>调度已更改</translation>
    </message>
    <message>
        <source>FLOPs here: this prompt, measured pass. The schedule editor counts the same prompt analytically; an accuracy check averages over its task's examples, whose lengths differ, so its FLOPs figure differs too.</source>
        <translation>此处 FLOPs：本提示，实测运行。调度编辑器按解析方式计算同一提示；准确率检查对任务中长度不同的各样例取平均，因此其 FLOPs 数值也不同。</translation>
    </message>
    <message>
        <source>%1: no view called "%2" (views: %3)</source>
        <translation>%1：没有名为“%2”的视图（视图：%3）</translation>
    </message>
    <message>
        <source>Continuations cleared: %1. Generate them again (Ctrl+G).</source>
        <translation>续写已清除：%1。请重新生成（Ctrl+G）。</translation>
    </message>
    <message>
        <source>No result yet.</source>
        <translation>尚无结果。</translation>
    </message>
    <message>
        <source>computing…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>&lt;b&gt;No result:&lt;/b&gt; %1</source>
        <translation>&lt;b&gt;无结果：&lt;/b&gt;%1</translation>
    </message>
    <message>
        <source>No result yet: open a model and type a prompt.</source>
        <translation>尚无结果：请打开模型并输入提示。</translation>
    </message>
    <message>
        <source>No result yet: type a prompt.</source>
        <translation>尚无结果：请输入提示。</translation>
    </message>
    <message>
        <source>Running the prompt…</source>
        <translation>正在运行提示…</translation>
    </message>
    <message>
        <source>%1 · %2 tokens · %3</source>
        <translation>%1 · %2 个词元 · %3</translation>
    </message>
    <message>
        <source>Computed for %1</source>
        <translation>计算条件：%1</translation>
    </message>
    <message>
        <source>&lt;b&gt;Out of date:&lt;/b&gt; the new input failed (%1). Shown: the result for %2.</source>
        <translation>&lt;b&gt;已过期：&lt;/b&gt;新输入失败（%1）。显示的是 %2 的结果。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Out of date&lt;/b&gt; (%1), %2 Shown: the result for %3.</source>
        <translation>&lt;b&gt;已过期&lt;/b&gt;（%1），%2 显示的是 %3 的结果。</translation>
    </message>
    <message>
        <source>the input changed</source>
        <translation>输入已更改</translation>
    </message>
    <message>
        <source>waiting for the new result.</source>
        <translation>正在等待新结果。</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 → %2 tokens&lt;/b&gt; after the last anchor · FLOPs −%3% for this prompt · KL(dense‖reduced) = %4</source>
        <translation>最后一个锚点之后 &lt;b&gt;%1 → %2 个词元&lt;/b&gt; · 此提示的 FLOPs −%3% · KL(完整‖缩减) = %4</translation>
    </message>
    <message>
        <source>"%1", token id %2</source>
        <translation>“%1”，词元 ID %2</translation>
    </message>
    <message>
        <source>⟨end of text⟩</source>
        <translation>⟨文本结束⟩</translation>
    </message>
    <message>
        <source>(nothing)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Dense:&lt;/b&gt; %1&lt;/p&gt;&lt;p&gt;&lt;b&gt;Reduced:&lt;/b&gt; %2&lt;/p&gt;&lt;p style="color:#777"&gt;For this prompt with %3.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;完整：&lt;/b&gt;%1&lt;/p&gt;&lt;p&gt;&lt;b&gt;缩减：&lt;/b&gt;%2&lt;/p&gt;&lt;p style="color:#777"&gt;对应此提示，%3。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Save the accuracy results shown as CSV</source>
        <translation>将显示的准确率结果保存为 CSV</translation>
    </message>
    <message>
        <source>No accuracy results yet: run an accuracy check first</source>
        <translation>尚无准确率结果：请先运行准确率检查</translation>
    </message>
    <message>
        <source>Figures (*.png *.pdf *.svg)</source>
        <translation>图形（*.png *.pdf *.svg）</translation>
    </message>
    <message>
        <source>There are no accuracy results to export yet: run an accuracy check or a sweep in the Accuracy panel first.</source>
        <translation>尚无可导出的准确率结果：请先在准确率面板中运行检查或扫描。</translation>
    </message>
    <message>
        <source>If you choose No, the session is kept as a backup file.</source>
        <translation>若选择“否”，该会话将保留为备份文件。</translation>
    </message>
    <message>
        <source>The previous session was kept as %1</source>
        <translation>上一个会话已保留为 %1</translation>
    </message>
    <message>
        <source>Save the changes to this session before quitting?</source>
        <translation>退出前保存对此会话的更改吗？</translation>
    </message>
    <message>
        <source>The prompt, schedule or accuracy results were changed and never saved.</source>
        <translation>提示、调度或准确率结果已更改且从未保存。</translation>
    </message>
    <message>
        <source>The prompt, schedule or accuracy results changed since %1 was saved.</source>
        <translation>自 %1 保存以来，提示、调度或准确率结果已更改。</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>Attention matrices</source>
        <translation>注意力矩阵</translation>
    </message>
    <message>
        <source>Importance vs attention</source>
        <translation>重要性与注意力</translation>
    </message>
    <message>
        <source>Next-token attribution</source>
        <translation>下一个词元的归因</translation>
    </message>
    <message>
        <source>Accuracy checks report the mean FLOPs of their task's examples: another number.</source>
        <translation>准确率检查给出的是其任务样例的平均 FLOPs：另一个数值。</translation>
    </message>
    <message>
        <source>Apply tuned schedule</source>
        <translation>应用调优后的调度</translation>
    </message>
    <message>
        <source>Tune</source>
        <translation>调优</translation>
    </message>
</context>
<context>
    <name>ssmlens::ModelPanel</name>
    <message>
        <source>No model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Where the model runs; changing it reloads the model</source>
        <translation>模型的运行设备；更改后将重新加载模型</translation>
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
        <translation>fp16（仅限 GPU）</translation>
    </message>
    <message>
        <source>Weight and compute precision; changing it reloads the model</source>
        <translation>权重与计算精度；更改后将重新加载模型</translation>
    </message>
    <message>
        <source>Runs on:</source>
        <translation>运行于：</translation>
    </message>
    <message>
        <source>Open folder…</source>
        <translation>打开文件夹…</translation>
    </message>
    <message>
        <source>Open a Mamba-2 checkpoint folder (state-spaces or Hugging Face layout)</source>
        <translation>打开 Mamba-2 检查点文件夹（state-spaces 或 Hugging Face 布局）</translation>
    </message>
    <message>
        <source>Recent</source>
        <translation>最近打开</translation>
    </message>
    <message>
        <source>Models opened before</source>
        <translation>之前打开过的模型</translation>
    </message>
    <message>
        <source>Demo model</source>
        <translation>演示模型</translation>
    </message>
    <message>
        <source>The small Mamba-2 model bundled with SSM Lens (docs/demo-model.md)</source>
        <translation>SSM Lens 内置的小型 Mamba-2 模型（docs/demo-model.md）</translation>
    </message>
    <message>
        <source>Tokenizer…</source>
        <translation>分词器…</translation>
    </message>
    <message>
        <source>Choose the tokenizer file (tokenizer.json or a sentencepiece .model) for the open model: official state-spaces checkpoints come without one and use GPT-NeoX-20B's tokenizer.json</source>
        <translation>为当前打开的模型选择分词器文件（tokenizer.json 或 sentencepiece .model）：官方 state-spaces 检查点不附带分词器，使用的是 GPT-NeoX-20B 的 tokenizer.json</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <source>&lt;br&gt;tokenizer: %1</source>
        <translation>&lt;br&gt;分词器：%1</translation>
    </message>
    <message>
        <source>&lt;br&gt;no tokenizer: choose one, or type token ids</source>
        <translation>&lt;br&gt;无分词器：请选择一个，或输入词元 ID</translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation>（暂无）</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;%2 layers, d_model %3, vocab %4&lt;br&gt;%5 M parameters, %6 MB (%7 on %8)%9</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;%2 层，d_model %3，词表 %4&lt;br&gt;%5 M 参数，%6 MB（%7，运行于 %8）%9</translation>
    </message>
    <message>
        <source>GPU %1: %2</source>
        <translation>GPU %1：%2</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>警告：%1</translation>
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
        <translation>词元 %1：ID %2，“%3”，字符 %4–%5</translation>
    </message>
    <message>
        <source>token %1: id %2, “%3”</source>
        <translation>词元 %1：ID %2，“%3”</translation>
    </message>
    <message>
        <source>No tokens</source>
        <translation>无词元</translation>
    </message>
    <message>
        <source>1 token</source>
        <translation>1 个词元</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 个词元</translation>
    </message>
</context>
<context>
    <name>ssmlens::ReductionWorker</name>
    <message>
        <source>%1: no CUDA device is available to this build</source>
        <translation>%1：此构建没有可用的 CUDA 设备</translation>
    </message>
    <message>
        <source>Open a model before choosing its tokenizer.</source>
        <translation>请先打开模型再选择其分词器。</translation>
    </message>
    <message>
        <source>This model folder has no tokenizer: type token ids separated by commas, or choose a tokenizer file ("%1" is not a token id).</source>
        <translation>此模型文件夹没有分词器：请输入以逗号分隔的词元 ID，或选择一个分词器文件（“%1”不是词元 ID）。</translation>
    </message>
    <message>
        <source>No model is loaded.</source>
        <translation>尚未加载模型。</translation>
    </message>
    <message>
        <source>The prompt is empty.</source>
        <translation>提示为空。</translation>
    </message>
    <message>
        <source>Accuracy checks need a tokenizer: choose one for this model.</source>
        <translation>准确率检查需要分词器：请为此模型选择一个。</translation>
    </message>
    <message>
        <source>No prompt has run yet.</source>
        <translation>尚未运行任何提示。</translation>
    </message>
</context>
<context>
    <name>ssmlens::RunDescription</name>
    <message>
        <source>no model</source>
        <translation>无模型</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>%1 (%2, %3)</source>
        <translation>%1（%2，%3）</translation>
    </message>
    <message>
        <source>dense (no anchors)</source>
        <translation>完整（无锚点）</translation>
    </message>
    <message>
        <source>1 anchor</source>
        <translation>1 个锚点</translation>
    </message>
    <message>
        <source>%1 anchors</source>
        <translation>%1 个锚点</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>%1 至 %2</translation>
    </message>
    <message>
        <source>%1, %2, q = %3</source>
        <translation>%1，%2，q = %3</translation>
    </message>
</context>
<context>
    <name>ssmlens::ScheduleCurvePlot</name>
    <message>
        <source>dense</source>
        <translation>完整</translation>
    </message>
    <message>
        <source>with schedule</source>
        <translation>应用调度</translation>
    </message>
    <message>
        <source>anchor</source>
        <translation>锚点</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>tokens</source>
        <translation>词元</translation>
    </message>
</context>
<context>
    <name>ssmlens::ScheduleEditor</name>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>Undo the last schedule edit</source>
        <translation>撤销上一次调度编辑</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Redo the schedule edit just undone</source>
        <translation>重做刚刚撤销的调度编辑</translation>
    </message>
    <message>
        <source>Add anchor at layer %1</source>
        <translation>在第 %1 层添加锚点</translation>
    </message>
    <message>
        <source>Remove anchor at layer %1</source>
        <translation>移除第 %1 层的锚点</translation>
    </message>
    <message>
        <source>Set every keep ratio to %1</source>
        <translation>将所有保留比例设为 %1</translation>
    </message>
    <message>
        <source>Set keep ratio at layer %1 to %2</source>
        <translation>将第 %1 层的保留比例设为 %2</translation>
    </message>
    <message>
        <source>Method %1</source>
        <translation>方法 %1</translation>
    </message>
    <message>
        <source>Change reduction options</source>
        <translation>更改缩减选项</translation>
    </message>
    <message>
        <source>Preset: none (dense)</source>
        <translation>预设：无（完整）</translation>
    </message>
    <message>
        <source>Preset: paper (64 layers)</source>
        <translation>预设：论文（64 层）</translation>
    </message>
    <message>
        <source>Preset: depth-scaled</source>
        <translation>预设：按深度缩放</translation>
    </message>
    <message>
        <source>FLOPs −%1 %, tokens −%2 %</source>
        <translation>FLOPs −%1 %，词元 −%2 %</translation>
    </message>
    <message>
        <source>Anchors</source>
        <translation>锚点</translation>
    </message>
    <message>
        <source>&amp;All anchors:</source>
        <translation>全部锚点(&amp;A)：</translation>
    </message>
    <message>
        <source>Keep ratio of all anchors</source>
        <translation>所有锚点的保留比例</translation>
    </message>
    <message>
        <source>Layers (click to add or remove an anchor):</source>
        <translation>层（点击以添加或移除锚点）：</translation>
    </message>
    <message>
        <source>One tick per layer; triangles mark anchors. Click a layer, or use the arrow keys and Space, to add or remove an anchor.</source>
        <translation>每层一个刻度；三角形标记锚点。点击某一层，或使用方向键和空格键，以添加或移除锚点。</translation>
    </message>
    <message>
        <source>No anchors: every layer sees every token (dense).</source>
        <translation>无锚点：每一层都处理全部词元（完整）。</translation>
    </message>
    <message>
        <source>Effect</source>
        <translation>效果</translation>
    </message>
    <message>
        <source>Analytic FLOPs of the forward pass (layers and head) and the mean share of tokens removed per layer, against the dense model</source>
        <translation>前向传播（各层与输出头）的解析 FLOPs，以及每层被移除词元的平均比例，均相对于完整模型</translation>
    </message>
    <message>
        <source>Tokens entering each layer, dense (dashed) and with this schedule</source>
        <translation>进入各层的词元数：完整（虚线）与应用此调度后</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>&amp;Method:</source>
        <translation>方法(&amp;M)：</translation>
    </message>
    <message>
        <source>Show or hide the options of the method</source>
        <translation>显示或隐藏该方法的选项</translation>
    </message>
    <message>
        <source>clip — sum of max(h, 0)</source>
        <translation>clip — max(h, 0) 之和</translation>
    </message>
    <message>
        <source>raw — plain sum of h</source>
        <translation>raw — h 的直接求和</translation>
    </message>
    <message>
        <source>l2 — L2 norm of h</source>
        <translation>l2 — h 的 L2 范数</translation>
    </message>
    <message>
        <source>How a token's importance is scored from the mixer output h</source>
        <translation>如何根据混合器输出 h 计算词元的重要性</translation>
    </message>
    <message>
        <source>&amp;Importance:</source>
        <translation>重要性(&amp;I)：</translation>
    </message>
    <message>
        <source>hybrid — merge some, prune the rest</source>
        <translation>hybrid — 合并一部分，剪除其余</translation>
    </message>
    <message>
        <source>merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <source>prune</source>
        <translation>剪除</translation>
    </message>
    <message>
        <source>&amp;Hidden stream:</source>
        <translation>隐藏流(&amp;H)：</translation>
    </message>
    <message>
        <source>&amp;Residual stream:</source>
        <translation>残差流(&amp;R)：</translation>
    </message>
    <message>
        <source>channel</source>
        <translation>通道</translation>
    </message>
    <message>
        <source>token</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>Hybrid &amp;choice per:</source>
        <translation>混合选择粒度(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Protect scored positions</source>
        <translation>保护评分位置(&amp;P)</translation>
    </message>
    <message>
        <source>Preset:</source>
        <translation>预设：</translation>
    </message>
    <message>
        <source>None (dense)</source>
        <translation>无（完整）</translation>
    </message>
    <message>
        <source>Remove every anchor: no token reduction</source>
        <translation>移除所有锚点：不进行词元缩减</translation>
    </message>
    <message>
        <source>Paper (64 layers)</source>
        <translation>论文（64 层）</translation>
    </message>
    <message>
        <source>Depth-scaled</source>
        <translation>按深度缩放</translation>
    </message>
    <message>
        <source>La&amp;yer:</source>
        <translation>层(&amp;Y)：</translation>
    </message>
    <message>
        <source>Layer for a new anchor: tokens are reduced after this layer</source>
        <translation>新锚点所在的层：词元在此层之后缩减</translation>
    </message>
    <message>
        <source>Add a&amp;nchor</source>
        <translation>添加锚点(&amp;N)</translation>
    </message>
    <message>
        <source>Layer %1</source>
        <translation>第 %1 层</translation>
    </message>
    <message>
        <source>Share of its tokens that layer %1 keeps (q); the rest are pruned or merged</source>
        <translation>第 %1 层保留的词元比例（q）；其余词元被剪除或合并</translation>
    </message>
    <message>
        <source>Keep ratio at layer %1</source>
        <translation>第 %1 层的保留比例</translation>
    </message>
    <message>
        <source>Remove the anchor at layer %1</source>
        <translation>移除第 %1 层的锚点</translation>
    </message>
    <message>
        <source>How the tokens to remove are chosen and what happens to them. Now: %1</source>
        <translation>如何选择要移除的词元，以及如何处理它们。当前：%1</translation>
    </message>
    <message>
        <source>Anchors differ; moving this sets them all.</source>
        <translation>各锚点的值不同；拖动此滑块会将它们全部统一设置。</translation>
    </message>
    <message>
        <source>Only for 64-layer models (this one has %1 layers). Depth-scaled puts the paper's anchors at the same relative depths.</source>
        <translation>仅适用于 64 层模型（此模型有 %1 层）。“按深度缩放”会把论文的锚点放在相同的相对深度。</translation>
    </message>
    <message>
        <source>Seven anchors evenly spaced from 19% to 66% of the %1 layers (fewer for shallow models), each with the global keep ratio; method and options stay</source>
        <translation>在 %1 层的 19% 到 66% 之间均匀放置七个锚点（浅层模型会更少），每个锚点使用全局保留比例；方法和选项保持不变</translation>
    </message>
    <message>
        <source>Layer %1 is already an anchor</source>
        <translation>第 %1 层已是锚点</translation>
    </message>
    <message>
        <source>Add an anchor at layer %1 with the global keep ratio</source>
        <translation>在第 %1 层添加一个使用全局保留比例的锚点</translation>
    </message>
    <message>
        <source> (fixed by the method %1)</source>
        <translation>（由方法 %1 固定）</translation>
    </message>
    <message>
        <source>What a removed token does to the mixer-output stream</source>
        <translation>被移除的词元在混合器输出流中如何处理</translation>
    </message>
    <message>
        <source>What a removed token does to the residual stream</source>
        <translation>被移除的词元在残差流中如何处理</translation>
    </message>
    <message>
        <source>Whether the hybrid strategy chooses merge or prune per channel or per token</source>
        <translation>混合策略是按通道还是按词元在合并与剪除之间选择</translation>
    </message>
    <message>
        <source>protected</source>
        <translation>已保护</translation>
    </message>
    <message>
        <source>Options: %1</source>
        <translation>选项：%1</translation>
    </message>
    <message>
        <source>Never remove the positions that predict a scored continuation (accuracy runs); the last token is always kept</source>
        <translation>从不移除用于预测被评分续写的位置（准确率评估时）；最后一个词元始终保留</translation>
    </message>
    <message>
        <source>Analytic count for this %1-token prompt; no model run.</source>
        <translation>针对当前 %1 个词元的提示的解析计算；未运行模型。</translation>
    </message>
    <message>
        <source>Analytic count for a %1-token prompt (no prompt yet); no model run.</source>
        <translation>针对 %1 个词元的提示的解析计算（尚无提示）；未运行模型。</translation>
    </message>
    <message>
        <source>The paper's setting for 64-layer models: anchors at layers 12, 17, …, 42 with q = %1, method utr with clip / hybrid / merge</source>
        <translation>论文针对 64 层模型的设置：锚点位于第 12、17、…、42 层，q = %1，方法 utr，选项 clip / hybrid / merge</translation>
    </message>
    <message>
        <source>As described in the paper: tokens split by importance, matched by cosine, merged or pruned per channel.</source>
        <translation>按论文描述：按重要性划分词元，按余弦相似度匹配，按通道合并或剪除。</translation>
    </message>
    <message>
        <source>As utr, with merge or prune chosen per token.</source>
        <translation>同 utr，按词元选择合并或剪除。</translation>
    </message>
    <message>
        <source>As released: the authors' code, which produced the paper's tables. With clip it merges positions 0, 2, …, 2r−2 into position 1, whatever the tokens are.</source>
        <translation>按发布版本：作者的代码，论文中的表格即由它得出。使用 clip 时，它把位置 0、2、…、2r−2 合并到位置 1，与词元内容无关。</translation>
    </message>
    <message>
        <source>Positional baseline: the r oldest tokens after the first merge into the first; the content plays no part.</source>
        <translation>位置基线：第一个词元之后最早的 r 个词元合并到第一个词元中；内容不起作用。</translation>
    </message>
    <message>
        <source>EViT-style baseline: the least important tokens are pruned.</source>
        <translation>EViT 式基线：剪除最不重要的词元。</translation>
    </message>
    <message>
        <source>ToMe-style baseline: even positions merge into their most similar odd position (cosine of h).</source>
        <translation>ToMe 式基线：偶数位置合并到最相似的奇数位置（h 的余弦相似度）。</translation>
    </message>
    <message>
        <source>PuMer-style baseline: as ToMe, on the clipped output max(h, 0).</source>
        <translation>PuMer 式基线：同 ToMe，但基于截断后的输出 max(h, 0)。</translation>
    </message>
    <message>
        <source>utr's split and matching; every removed token is pruned.</source>
        <translation>utr 的划分与匹配；移除的词元全部剪除。</translation>
    </message>
    <message>
        <source>utr's split and matching; every removed token is merged.</source>
        <translation>utr 的划分与匹配；移除的词元全部合并。</translation>
    </message>
    <message>
        <source>as described in the paper</source>
        <translation>按论文描述</translation>
    </message>
    <message>
        <source>as in the paper, per token</source>
        <translation>按论文，按词元</translation>
    </message>
    <message>
        <source>as released (the paper's evaluation)</source>
        <translation>按发布版本（论文的评测）</translation>
    </message>
    <message>
        <source>positional baseline</source>
        <translation>位置基线</translation>
    </message>
    <message>
        <source>EViT baseline</source>
        <translation>EViT 基线</translation>
    </message>
    <message>
        <source>ToMe baseline</source>
        <translation>ToMe 基线</translation>
    </message>
    <message>
        <source>PuMer baseline</source>
        <translation>PuMer 基线</translation>
    </message>
    <message>
        <source>utr's split, prune</source>
        <translation>utr 的划分，剪除</translation>
    </message>
    <message>
        <source>utr's split, merge</source>
        <translation>utr 的划分，合并</translation>
    </message>
    <message>
        <source>Keep ratio q for every anchor: moving it sets all anchors to q. New anchors and the depth-scaled preset also get q. An anchor keeps ceil(q·N) of its N tokens (at most half go at one anchor). The slider is finer from 0.5 to 1; type any value in the field.</source>
        <translation>所有锚点的保留比例 q：移动它会把所有锚点设为 q。新锚点和按深度缩放的预设也使用 q。一个锚点保留其 N 个词元中的 ceil(q·N) 个（每个锚点最多去掉一半）。滑块在 0.5 到 1 之间更精细；也可在输入框中输入任意值。</translation>
    </message>
    <message>
        <source>→ %1 of %2 tokens</source>
        <translation>→ %2 个词元中剩 %1 个</translation>
    </message>
    <message>
        <source>→ %1</source>
        <translation>→ %1</translation>
    </message>
    <message>
        <source>Tokens this anchor passes on to the next layer</source>
        <translation>此锚点传给下一层的词元数</translation>
    </message>
</context>
<context>
    <name>ssmlens::ScheduleLayerStrip</name>
    <message>
        <source>Layers</source>
        <translation>层</translation>
    </message>
    <message>
        <source>One tick per layer; anchors are marked. Left and Right move the cursor, Space or Enter adds or removes an anchor.</source>
        <translation>每层一个刻度；锚点已标出。左右方向键移动光标，空格键或回车键添加或移除锚点。</translation>
    </message>
    <message>
        <source>Layer %1: click to add an anchor (tokens are reduced after this layer)</source>
        <translation>第 %1 层：点击以添加锚点（词元在此层之后缩减）</translation>
    </message>
    <message>
        <source>Layer %1: anchor, keeps %2 of its tokens; click to remove it</source>
        <translation>第 %1 层：锚点，保留其词元的 %2；点击以移除</translation>
    </message>
    <message>
        <source>No model</source>
        <translation>无模型</translation>
    </message>
</context>
<context>
    <name>ssmlens::SessionFile</name>
    <message>
        <source>%1: "%2" must be %3</source>
        <translation>%1：“%2”必须是%3</translation>
    </message>
    <message>
        <source>an object</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>a list</source>
        <translation>列表</translation>
    </message>
    <message>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>an integer, -1 or more</source>
        <translation>不小于 -1 的整数</translation>
    </message>
    <message>
        <source>a number</source>
        <translation>数字</translation>
    </message>
    <message>
        <source>SSM Lens sessions (*%1)</source>
        <translation>SSM Lens 会话 (*%1)</translation>
    </message>
    <message>
        <source>%1: not an SSM Lens session (no "format": "%2")</source>
        <translation>%1：不是 SSM Lens 会话（缺少 "format": "%2"）</translation>
    </message>
    <message>
        <source>%1: session version %2 is not supported (this build reads %3)</source>
        <translation>%1：不支持会话版本 %2（此版本可读取 %3）</translation>
    </message>
    <message>
        <source>%1: the session has no schedule</source>
        <translation>%1：会话中没有调度</translation>
    </message>
    <message>
        <source>%1: malformed session (%2)</source>
        <translation>%1：会话格式错误（%2）</translation>
    </message>
    <message>
        <source>%1: cannot write the session (%2)</source>
        <translation>%1：无法写入会话（%2）</translation>
    </message>
    <message>
        <source>%1: cannot write (%2)</source>
        <translation>%1：无法写入（%2）</translation>
    </message>
    <message>
        <source>%1: no such file</source>
        <translation>%1：文件不存在</translation>
    </message>
    <message>
        <source>%1: cannot read (%2)</source>
        <translation>%1：无法读取（%2）</translation>
    </message>
    <message>
        <source>%1: not a JSON file (%2)</source>
        <translation>%1：不是 JSON 文件（%2）</translation>
    </message>
</context>
<context>
    <name>ssmlens::SimilarityGraph</name>
    <message>
        <source>Minimum cosine:</source>
        <translation>最小余弦：</translation>
    </message>
    <message>
        <source>Hide edges whose cosine similarity is below this value (merges always stay)</source>
        <translation>隐藏余弦相似度低于此值的边（合并边始终显示）</translation>
    </message>
    <message>
        <source>%1 of %2 edges shown</source>
        <translation>显示 %1 / %2 条边</translation>
    </message>
    <message>
        <source>No trace yet: run a prompt with a reduction schedule to see which tokens are alike.</source>
        <translation>尚无追踪数据：请用缩减调度运行一个提示，以查看哪些词元彼此相似。</translation>
    </message>
    <message>
        <source>Layer %1 has no A/B split to draw.</source>
        <translation>第 %1 层没有可绘制的 A/B 划分。</translation>
    </message>
    <message>
        <source>Layer %1 does not reduce tokens, so it has no A/B split and no matches to draw.</source>
        <translation>第 %1 层不缩减词元，因此没有可绘制的 A/B 划分和匹配。</translation>
    </message>
    <message>
        <source>This schedule has no anchor layers.</source>
        <translation>此调度没有锚点层。</translation>
    </message>
    <message>
        <source>Anchor layers: %1</source>
        <translation>锚点层：%1</translation>
    </message>
    <message>
        <source>token %1 "%2"</source>
        <translation>词元 %1 “%2”</translation>
    </message>
    <message>
        <source>token %1</source>
        <translation>词元 %1</translation>
    </message>
    <message>
        <source>set A (candidate)</source>
        <translation>集合 A（候选）</translation>
    </message>
    <message>
        <source>set B (destination)</source>
        <translation>集合 B（目标）</translation>
    </message>
    <message>
        <source>into token %1</source>
        <translation>并入词元 %1</translation>
    </message>
    <message>
        <source>importance %1</source>
        <translation>重要性 %1</translation>
    </message>
    <message>
        <source>best match: token %1, cosine %2</source>
        <translation>最佳匹配：词元 %1，余弦 %2</translation>
    </message>
    <message>
        <source>merged</source>
        <translation>已合并</translation>
    </message>
    <message>
        <source>best match</source>
        <translation>最佳匹配</translation>
    </message>
    <message>
        <source>similar pair</source>
        <translation>相似对</translation>
    </message>
    <message>
        <source>%1 and %2: %3</source>
        <translation>%1 与 %2：%3</translation>
    </message>
    <message>
        <source>cosine %1</source>
        <translation>余弦 %1</translation>
    </message>
    <message>
        <source>Token similarity</source>
        <translation>词元相似度</translation>
    </message>
    <message>
        <source>Token similarity at layer %1</source>
        <translation>第 %1 层的词元相似度</translation>
    </message>
    <message>
        <source>The reduction step splits the %1 tokens into candidates (A) and destinations (B); each A token is matched to its most similar B token. %2 merged, %3 pruned. Shown: edges with cosine at least %4 (%5 of %6); merges always.</source>
        <translation>缩减步骤将 %1 个词元划分为候选（A）和目标（B）；每个 A 词元与其最相似的 B 词元匹配。合并 %2 个，剪除 %3 个。显示：余弦不低于 %4 的边（%6 条中的 %5 条）；合并边始终显示。</translation>
    </message>
    <message>
        <source>merged into (arrow)</source>
        <translation>合并至（箭头）</translation>
    </message>
    <message>
        <source>best match of an A token</source>
        <translation>A 词元的最佳匹配</translation>
    </message>
    <message>
        <source>edges of the selected token</source>
        <translation>所选词元的边</translation>
    </message>
    <message>
        <source>cosine</source>
        <translation>余弦</translation>
    </message>
    <message>
        <source>A: candidates (%1)</source>
        <translation>A：候选（%1）</translation>
    </message>
    <message>
        <source>B: destinations (%1)</source>
        <translation>B：目标（%1）</translation>
    </message>
</context>
<context>
    <name>ssmlens::TokenFateStyle</name>
    <message>
        <source>kept</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>merged</source>
        <translation>已合并</translation>
    </message>
    <message>
        <source>pruned</source>
        <translation>已剪除</translation>
    </message>
    <message>
        <source>gone (removed earlier)</source>
        <translation>已不存在（在更早的层被移除）</translation>
    </message>
    <message>
        <source>◆ Content-independent anchor: the method chose which tokens go, and where, by position alone.</source>
        <translation>◆ 与内容无关的锚点：该方法仅按位置决定移除哪些词元以及它们去向何处。</translation>
    </message>
</context>
<context>
    <name>ssmlens::TokenStrip</name>
    <message>
        <source>layer %1, %2: %3</source>
        <translation>第 %1 层，%2：%3</translation>
    </message>
    <message>
        <source>token %1 "%2"</source>
        <translation>词元 %1 “%2”</translation>
    </message>
    <message>
        <source>token %1</source>
        <translation>词元 %1</translation>
    </message>
    <message>
        <source>Token fates</source>
        <translation>词元去向</translation>
    </message>
    <message>
        <source>Token fates at layer %1</source>
        <translation>第 %1 层的词元去向</translation>
    </message>
    <message>
        <source>No trace yet: run a prompt with a reduction schedule to see what happens to each token.</source>
        <translation>尚无追踪数据：请用缩减调度运行一个提示，以查看每个词元的去向。</translation>
    </message>
    <message>
        <source>Layer %1 does not reduce tokens: %2 tokens pass through; %3 of the prompt's %4 tokens left at earlier layers.</source>
        <translation>第 %1 层不缩减词元：%2 个词元直接通过；提示的 %4 个词元中有 %3 个已在更早的层离开。</translation>
    </message>
    <message>
        <source>kept, receives merged tokens</source>
        <translation>保留，并接收被合并的词元</translation>
    </message>
    <message>
        <source>merged (arrow: into which token)</source>
        <translation>已合并（箭头：并入哪个词元）</translation>
    </message>
    <message>
        <source>(id %1)</source>
        <translation>（ID %1）</translation>
    </message>
    <message>
        <source>layer %1: %2</source>
        <translation>第 %1 层：%2</translation>
    </message>
    <message>
        <source>into %1</source>
        <translation>并入%1</translation>
    </message>
    <message>
        <source>(%1% of channels)</source>
        <translation>（%1% 的通道）</translation>
    </message>
    <message>
        <source>receives tokens %1</source>
        <translation>接收词元 %1</translation>
    </message>
    <message>
        <source>%1 at layer %2</source>
        <translation>第 %2 层%1</translation>
    </message>
    <message>
        <source>reaches the output</source>
        <translation>到达输出</translation>
    </message>
    <message>
        <source>Show every merge arrow</source>
        <translation>显示所有合并箭头</translation>
    </message>
    <message>
        <source>Off: only the arrows of the selected token (click a token). Long prompts start with this off, as all their arrows together are a tangle.</source>
        <translation>关闭：只显示所选词元的箭头（点击一个词元）。长提示默认关闭此项，因为所有箭头放在一起会乱成一团。</translation>
    </message>
    <message>
        <source>Anchor layer (keep ratio %1): %2 tokens in, %3 out; %4 merged, %5 pruned.</source>
        <translation>锚点层（保留比例 %1）：输入 %2 个词元，输出 %3 个；%4 个合并，%5 个剪除。</translation>
    </message>
    <message>
        <source>Click a token to see its merge arrows.</source>
        <translation>点击一个词元以查看它的合并箭头。</translation>
    </message>
    <message>
        <source>When each token leaves: a row per layer (top to bottom), a column per prompt token with its text below. Anchor layers in bold; click a row to show that layer.</source>
        <translation>每个词元何时离开：每层一行（自上而下），每个提示词元一列，其文本在下方。锚点层为粗体；点击一行以显示该层。</translation>
    </message>
    <message>
        <source>When each token leaves: a row per layer (click to show it), a column per token</source>
        <translation>每个词元何时离开：每层一行（点击以显示该层），每个词元一列</translation>
    </message>
    <message>
        <source>When each token leaves: a row per layer, a column per token</source>
        <translation>每个词元何时离开：每层一行，每个词元一列</translation>
    </message>
</context>
<context>
    <name>ssmlens::TokenWeightStrip</name>
    <message>
        <source>token %1 “%2”: %3</source>
        <translation>词元 %1 “%2”：%3</translation>
    </message>
    <message>
        <source>token %1 “%2”: none</source>
        <translation>词元 %1 “%2”：无</translation>
    </message>
</context>
<context>
    <name>ssmlens::TokensPerLayerPlot</name>
    <message>
        <source>Tokens entering each layer</source>
        <translation>进入各层的词元数</translation>
    </message>
    <message>
        <source>dense</source>
        <translation>完整</translation>
    </message>
    <message>
        <source>with reduction</source>
        <translation>缩减后</translation>
    </message>
    <message>
        <source>anchor (reduces after this layer)</source>
        <translation>锚点（在此层之后缩减）</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>Tokens entering each layer: %1% fewer token-layers, %2% fewer FLOPs</source>
        <translation>进入各层的词元数：词元·层减少 %1%，FLOPs 减少 %2%</translation>
    </message>
    <message>
        <source>A token-layer is one token passing through one layer: the layers' work. The FLOPs also count the output head, which reads the last token whatever the schedule, so they fall a little less. Click a layer to select it in every view.</source>
        <translation>一个“词元-层”指一个词元经过一层：即各层的工作量。FLOPs 还计入输出头，无论调度如何它都读取最后一个词元，因此 FLOPs 降幅略小。点击某一层可在所有视图中选中它。</translation>
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
        <translation>调度必须达到的 FLOPs 削减（按校准数据长度用 FlopsModel 计算）</translation>
    </message>
    <message>
        <source>Budget:</source>
        <translation>预算：</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>Method:</source>
        <translation>方法：</translation>
    </message>
    <message>
        <source>Also search the method's options</source>
        <translation>同时搜索方法的选项</translation>
    </message>
    <message>
        <source>Importance metric, hidden-state and residual strategies, granularity, where the method has them</source>
        <translation>重要性度量、隐藏状态与残差策略、粒度（方法具备时）</translation>
    </message>
    <message>
        <source>Demo model's bundled data (lambada, cloze, text)</source>
        <translation>演示模型自带的数据（lambada、完形填空、文本）</translation>
    </message>
    <message>
        <source>Choose files…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <source>Text files (one paragraph per line) or benchmark files of the six tasks; every second example is held out from the search</source>
        <translation>文本文件（每行一段）或六项任务的基准文件；每隔一个样例留出，不参与搜索</translation>
    </message>
    <message>
        <source>Data:</source>
        <translation>数据：</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Time limit of the search</source>
        <translation>搜索的时间上限</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Stop after this many candidates (0: only the time limit)</source>
        <translation>达到此候选数后停止（0：只按时间上限）</translation>
    </message>
    <message>
        <source>The same seed and settings give the same search</source>
        <translation>相同的种子和设置得到相同的搜索</translation>
    </message>
    <message>
        <source>Candidates:</source>
        <translation>候选数：</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>种子：</translation>
    </message>
    <message>
        <source>Time limit:</source>
        <translation>时间上限：</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Search for the schedule closest to the dense model within the budget</source>
        <translation>在预算内搜索最接近稠密模型的调度</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Continue the stopped search where it was</source>
        <translation>从停止处继续搜索</translation>
    </message>
    <message>
        <source>Open a model, set a budget and start</source>
        <translation>打开模型，设定预算，然后开始</translation>
    </message>
    <message>
        <source>Click a candidate on the plot to see it</source>
        <translation>点击图中的候选以查看</translation>
    </message>
    <message>
        <source>Apply to the editor</source>
        <translation>应用到编辑器</translation>
    </message>
    <message>
        <source>Load the selected candidate into the schedule editor (undoable)</source>
        <translation>将所选候选载入调度编辑器（可撤销）</translation>
    </message>
    <message>
        <source>Calibration data: text files (.txt) or task files (lambada_test.jsonl, hellaswag_val.jsonl, …)</source>
        <translation>校准数据：文本文件（.txt）或任务文件（lambada_test.jsonl、hellaswag_val.jsonl 等）</translation>
    </message>
    <message>
        <source>Ready: set a budget and start</source>
        <translation>就绪：设定预算后开始</translation>
    </message>
    <message>
        <source>Continuing the search…</source>
        <translation>正在继续搜索…</translation>
    </message>
    <message>
        <source>Starting the search…</source>
        <translation>正在开始搜索…</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>Calibration: %1</source>
        <translation>校准：%1</translation>
    </message>
    <message>
        <source>Candidates: %1; none within the budget yet</source>
        <translation>候选数：%1；尚无在预算内的</translation>
    </message>
    <message>
        <source>Candidates: %1; best #%2: KL %3 at FLOPs −%4%</source>
        <translation>候选数：%1；最佳 #%2：KL %3，FLOPs −%4%</translation>
    </message>
    <message>
        <source>time limit reached</source>
        <translation>已达时间上限</translation>
    </message>
    <message>
        <source>candidate limit reached</source>
        <translation>已达候选数上限</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>nothing left to try</source>
        <translation>已无可尝试的候选</translation>
    </message>
    <message>
        <source>Search finished (%1). %2</source>
        <translation>搜索结束（%1）。%2</translation>
    </message>
    <message>
        <source>No candidate selected</source>
        <translation>未选择候选</translation>
    </message>
    <message>
        <source>paper preset</source>
        <translation>论文预设</translation>
    </message>
    <message>
        <source>starting point</source>
        <translation>起点</translation>
    </message>
    <message>
        <source>search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>another budget</source>
        <translation>其他预算</translation>
    </message>
    <message>
        <source>one keep ratio</source>
        <translation>单一保留率</translation>
    </message>
    <message>
        <source>&lt;b&gt;#%1&lt;/b&gt; (%2%3): FLOPs −%4%, tokens −%5%, KL %6 nats&lt;br&gt;%7 · metric %8 · hidden %9 · residual %10 · %11&lt;br&gt;anchors %12</source>
        <translation>&lt;b&gt;#%1&lt;/b&gt;（%2%3）：FLOPs −%4%，词元 −%5%，KL %6 nats&lt;br&gt;%7 · 度量 %8 · 隐藏 %9 · 残差 %10 · %11&lt;br&gt;锚点 %12</translation>
    </message>
    <message>
        <source>, best within the budget</source>
        <translation>，预算内最佳</translation>
    </message>
</context>
<context>
    <name>ssmlens::TunePlot</name>
    <message>
        <source>Schedule search: objective against FLOPs reduction</source>
        <translation>调度搜索：目标值与 FLOPs 削减</translation>
    </message>
    <message>
        <source>FLOPs reduction (%)</source>
        <translation>FLOPs 减少量（%）</translation>
    </message>
    <message>
        <source>mean KL to dense (nats, log)</source>
        <translation>与稠密模型的平均 KL（nats，对数）</translation>
    </message>
    <message>
        <source>stopped early (clearly worse)</source>
        <translation>提前停止（明显更差）</translation>
    </message>
    <message>
        <source>candidate</source>
        <translation>候选</translation>
    </message>
    <message>
        <source>paper preset</source>
        <translation>论文预设</translation>
    </message>
    <message>
        <source>Pareto front</source>
        <translation>帕累托前沿</translation>
    </message>
    <message>
        <source>schedule in the editor</source>
        <translation>编辑器中的调度</translation>
    </message>
    <message>
        <source>budget %1%</source>
        <translation>预算 %1%</translation>
    </message>
    <message>
        <source>editor (not scored)</source>
        <translation>编辑器（未评分）</translation>
    </message>
    <message>
        <source>selected</source>
        <translation>已选</translation>
    </message>
</context>
<context>
    <name>ssmlens::TuneWorker</name>
    <message>
        <source>Loading the model for the search…</source>
        <translation>正在为搜索加载模型…</translation>
    </message>
    <message>
        <source>Dense pass over the calibration data</source>
        <translation>在校准数据上进行稠密前向计算</translation>
    </message>
    <message>
        <source>Searching</source>
        <translation>正在搜索</translation>
    </message>
</context>
</TS>