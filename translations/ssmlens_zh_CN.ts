<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>QApplication</name>
    <message>
        <source>SSM Lens: see what token reduction does inside a Mamba-2 model</source>
        <translation>SSM Lens：查看词元缩减在 Mamba-2 模型内部的作用</translation>
    </message>
    <message>
        <source>Checkpoint folder to open</source>
        <translation>要打开的检查点文件夹</translation>
    </message>
    <message>
        <source>Prompt to start with</source>
        <translation>初始提示</translation>
    </message>
    <message>
        <source>Keep ratio at every anchor</source>
        <translation>每个锚点的保留比例</translation>
    </message>
    <message>
        <source>Save a screenshot of the window after the first result, then quit</source>
        <translation>得到第一个结果后保存窗口截图并退出</translation>
    </message>
    <message>
        <source>Export the heatmap after the first result, then quit</source>
        <translation>得到第一个结果后导出热力图并退出</translation>
    </message>
    <message>
        <source>Run the accuracy check on the first bundled sample after the first result</source>
        <translation>得到第一个结果后，用第一个内置样例运行准确率检查</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>%1: unknown image format "%2" (use .png, .pdf or .svg)</source>
        <translation>%1：未知的图像格式“%2”（请使用 .png、.pdf 或 .svg）</translation>
    </message>
    <message>
        <source>%1: could not be written</source>
        <translation>%1：无法写入</translation>
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
</context>
<context>
    <name>ssmlens::ImportanceHeatmap</name>
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
        <source>importance ÷ layer maximum</source>
        <translation>重要性 ÷ 该层最大值</translation>
    </message>
    <message>
        <source>merged at this layer</source>
        <translation>在此层合并</translation>
    </message>
    <message>
        <source>pruned at this layer</source>
        <translation>在此层剪除</translation>
    </message>
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
</context>
<context>
    <name>ssmlens::MainWindow</name>
    <message>
        <source>SSM Lens</source>
        <translation>SSM Lens</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Open model…</source>
        <translation>打开模型…</translation>
    </message>
    <message>
        <source>Open a Mamba-2 checkpoint folder (state-spaces or Hugging Face layout)</source>
        <translation>打开 Mamba-2 检查点文件夹（state-spaces 或 Hugging Face 布局）</translation>
    </message>
    <message>
        <source>Export heatmap…</source>
        <translation>导出热力图…</translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <source>Save the importance heatmap as PNG, PDF or SVG</source>
        <translation>将重要性热力图保存为 PNG、PDF 或 SVG</translation>
    </message>
    <message>
        <source>Save schedule…</source>
        <translation>保存调度…</translation>
    </message>
    <message>
        <source>Load schedule…</source>
        <translation>加载调度…</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
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
        <source>Token reduction method (utr: the paper's unified prune-and-merge)</source>
        <translation>词元缩减方法（utr：论文中统一的剪除与合并）</translation>
    </message>
    <message>
        <source>Method:</source>
        <translation>方法：</translation>
    </message>
    <message>
        <source>Share of tokens each anchor layer keeps</source>
        <translation>每个锚点层保留的词元比例</translation>
    </message>
    <message>
        <source>Keep ratio:</source>
        <translation>保留比例：</translation>
    </message>
    <message>
        <source>Effect:</source>
        <translation>效果：</translation>
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
        <source>Next token:</source>
        <translation>下一个词元：</translation>
    </message>
    <message>
        <source>q = %1 at every anchor</source>
        <translation>每个锚点 q = %1</translation>
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
        <source>%1
%2
%3 M parameters, %4 on %5%6</source>
        <translation>%1
%2
%3 M 参数，%4，运行于 %5%6</translation>
    </message>
    <message>
        <source>
no tokenizer: type token ids</source>
        <translation>
无分词器：请输入词元 ID</translation>
    </message>
    <message>
        <source>Model loaded</source>
        <translation>模型已加载</translation>
    </message>
    <message>
        <source>%1 → %2 tokens after the last anchor
FLOPs −%3%
KL(dense‖reduced) = %4</source>
        <translation>最后一个锚点后 %1 → %2 个词元
FLOPs −%3%
KL(完整‖缩减) = %4</translation>
    </message>
    <message>
        <source>token id %1</source>
        <translation>词元 ID %1</translation>
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
        <source>Export heatmap</source>
        <translation>导出热力图</translation>
    </message>
    <message>
        <source>Images (*.png *.pdf *.svg)</source>
        <translation>图像 (*.png *.pdf *.svg)</translation>
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
        <source>Load schedule</source>
        <translation>加载调度</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>%1 (bundled sample)</source>
        <translation>%1（内置样例）</translation>
    </message>
    <message>
        <source>Choose a data file…</source>
        <translation>选择数据文件…</translation>
    </message>
    <message>
        <source>Zero-shot task, scored as lm-evaluation-harness does</source>
        <translation>零样本任务，按 lm-evaluation-harness 的方式评分</translation>
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
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
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
        <source>Open a model first</source>
        <translation>请先打开模型</translation>
    </message>
    <message>
        <source>Choose a task file (lambada_test.jsonl, valid.jsonl, ...)</source>
        <translation>选择任务文件（lambada_test.jsonl、valid.jsonl 等）</translation>
    </message>
    <message>
        <source>Scoring %1…</source>
        <translation>正在评估 %1…</translation>
    </message>
    <message>
        <source>Accuracy, dense and with %1 (q = %2): %3% fewer FLOPs</source>
        <translation>准确率，完整与 %1（q = %2）：FLOPs 减少 %3%</translation>
    </message>
    <message>
        <source>%1: %2 examples; %3 could not be scored under reduction</source>
        <translation>%1：%2 个样例；%3 个在缩减下无法评分</translation>
    </message>
</context>
<context>
    <name>ssmlens::ReductionWorker</name>
    <message>
        <source>accuracy check cancelled</source>
        <translation>准确率检查已取消</translation>
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
</context>
</TS>