#include "app/gui/ModelPanel.h"

#include <QComboBox>
#include <QEvent>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPushButton>

#include "app/gui/RunDescription.h"
#include "core/runtime/ComputeDevices.h"
#include "core/runtime/DemoModel.h"

namespace ssmlens {

int bytesPerWeight(const QString& dtype) { return dtype == "fp32" ? 4 : 2; }

ModelPanel::ModelPanel(QWidget* parent) : QWidget(parent) {
    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    facts_ = new QLabel;
    facts_->setWordWrap(true);
    facts_->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);  // never clipped: the panel grows
    facts_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    modelLabel_ = new QLabel;
    form->addRow(modelLabel_, facts_);
    warnings_ = new QLabel;
    warnings_->setWordWrap(true);
    warnings_->setTextFormat(Qt::PlainText);
    warnings_->setStyleSheet(QStringLiteral("color: #b00020"));
    warnings_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    warnings_->setVisible(false);
    form->addRow(QString(), warnings_);

    device_ = new QComboBox;
    device_->addItem(QString(), "cpu");
    const std::vector<std::string> gpus = cudaDeviceNames();
    for (size_t i = 0; i < gpus.size(); ++i) device_->addItem(QString(), QString("cuda:%1").arg(i));
    dtype_ = new QComboBox;
    dtype_->addItem(QString(), "fp32");
    dtype_->addItem(QString(), "bf16");
    dtype_->addItem(QString(), "fp16");
    auto* choice = new QHBoxLayout;
    choice->addWidget(device_, 1);
    choice->addWidget(dtype_, 1);
    runsOnLabel_ = new QLabel;
    form->addRow(runsOnLabel_, choice);

    auto* buttons = new QHBoxLayout;
    browse_ = new QPushButton;
    // A push button with a menu, like its neighbours: the style leaves room for the menu arrow beside the text
    // (a tool button drew it over the text's last letter).
    recent_ = new QPushButton;
    recent_->setMenu(new QMenu(recent_));
    demo_ = new QPushButton;
    demo_->setEnabled(!defaultModelDir().empty());
    tokenizer_ = new QPushButton;
    tokenizer_->setEnabled(false);
    buttons->addWidget(browse_);
    buttons->addWidget(recent_);
    buttons->addWidget(demo_);
    buttons->addStretch(1);
    form->addRow(buttons);
    auto* tokenizerRow = new QHBoxLayout;  // a row of its own: the buttons must fit a narrow panel in German
    tokenizerRow->addWidget(tokenizer_);
    tokenizerRow->addStretch(1);
    form->addRow(tokenizerRow);

    connect(browse_, &QPushButton::clicked, this, &ModelPanel::browseRequested);
    connect(tokenizer_, &QPushButton::clicked, this, &ModelPanel::tokenizerRequested);
    connect(demo_, &QPushButton::clicked, this, [this] {
        Q_EMIT openRequested(QString::fromStdString(defaultModelDir()), dtype(), device());
    });
    connect(device_, &QComboBox::activated, this, &ModelPanel::reloadWithChoice);
    connect(dtype_, &QComboBox::activated, this, &ModelPanel::reloadWithChoice);
    retranslate();
}

void ModelPanel::retranslate() {
    modelLabel_->setText(tr("Model:"));
    runsOnLabel_->setText(tr("Runs on:"));
    device_->setItemText(0, tr("CPU"));
    const std::vector<std::string> gpus = cudaDeviceNames();
    for (int i = 1; i < device_->count() && i - 1 < int(gpus.size()); ++i)
        device_->setItemText(i, tr("GPU %1: %2").arg(i - 1).arg(QString::fromStdString(gpus[i - 1])));
    device_->setToolTip(tr("Where the model runs; changing it reloads the model"));
    dtype_->setItemText(0, tr("fp32"));
    dtype_->setItemText(1, tr("bf16"));
    dtype_->setItemText(2, tr("fp16 (GPU only)"));
    dtype_->setToolTip(tr("Weight and compute precision; changing it reloads the model"));
    browse_->setText(tr("Open folder…"));
    browse_->setToolTip(tr("Open a Mamba-2 checkpoint folder (state-spaces or Hugging Face layout)"));
    recent_->setText(tr("Recent"));
    recent_->setToolTip(tr("Models opened before"));
    demo_->setText(tr("Demo model"));
    demo_->setToolTip(tr("The small Mamba-2 model bundled with SSM Lens (docs/demo-model.md)"));
    tokenizer_->setText(tr("Tokenizer…"));
    tokenizer_->setToolTip(tr("Choose the tokenizer file (tokenizer.json or a sentencepiece .model) for the "
                              "open model: official state-spaces checkpoints come without one and use "
                              "GPT-NeoX-20B's tokenizer.json"));
    setRecentModels(recentFolders_);
    if (!loading_.isEmpty()) showLoading(loading_);
    else showFacts(shown_);
}

void ModelPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

void ModelPanel::reloadWithChoice() {
    if (!folder_.isEmpty()) Q_EMIT openRequested(folder_, dtype(), device());
}

QString ModelPanel::dtype() const { return dtype_->currentData().toString(); }
QString ModelPanel::device() const { return device_->currentData().toString(); }

void ModelPanel::setDevice(const QString& device) {
    const int i = device_->findData(device);
    if (i >= 0) device_->setCurrentIndex(i);
}

void ModelPanel::setDtype(const QString& dtype) {
    const int i = dtype_->findData(dtype);
    if (i >= 0) dtype_->setCurrentIndex(i);
}

QString ModelPanel::factsText() const { return facts_->text(); }

void ModelPanel::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    fitWrappedLabels();
}

void ModelPanel::fitWrappedLabels() {
    for (QLabel* label : {facts_, warnings_})
        if (label->isVisible() && label->width() > 0) label->setMinimumHeight(label->heightForWidth(label->width()));
}

void ModelPanel::showLoading(const QString& folder) {
    loading_ = folder;
    facts_->setText(tr("Loading %1…").arg(folder));
}

void ModelPanel::showFacts(const ModelFacts& f) {
    loading_.clear();
    shown_ = f;
    if (f.layers == 0) {
        facts_->setText(tr("No model loaded"));
        warnings_->setVisible(false);
        return;
    }
    folder_ = f.folder;
    setDevice(f.device);
    setDtype(f.dtype);
    const double memoryMb = static_cast<double>(f.parameters) * bytesPerWeight(f.dtype) / 1e6;
    // The essentials in the panel; every dimension of the config in the tooltip.
    facts_->setText(tr("<b>%1</b><br>%2 layers, d_model %3, vocab %4<br>%5 M parameters, %6 MB (%7 on %8)%9")
                        .arg(QFileInfo(f.folder).fileName().toHtmlEscaped())
                        .arg(f.config.nLayer)
                        .arg(f.config.dModel)
                        .arg(f.config.vocabSize)
                        .arg(RunDescription::number(f.parameters / 1e6, 1))
                        .arg(RunDescription::number(memoryMb, 0))
                        .arg(f.dtype, f.device)
                        .arg(f.hasTokenizer ? tr("<br>tokenizer: %1").arg(QFileInfo(f.tokenizer).fileName().toHtmlEscaped())
                                            : tr("<br>no tokenizer: choose one, or type token ids")));
    // What loaded but is suspect (NaN weights: every number the views show would be NaN), in red under the
    // facts: short (the file relative to the folder, the first clause), the whole sentences in the tooltip.
    QStringList shown;
    for (QString w : f.warnings) {
        if (w.startsWith(f.folder + "/")) w = w.mid(f.folder.size() + 1);
        w = w.section(';', 0, 0);
        w.replace('.', QStringLiteral(".") + QChar(0x200B));  // a tensor name may wrap at its dots
        shown << tr("Warning: %1").arg(w);
    }
    warnings_->setText(shown.join('\n'));
    warnings_->setToolTip(f.warnings.join('\n'));
    warnings_->setVisible(!shown.isEmpty());
    fitWrappedLabels();
    tokenizer_->setEnabled(true);
    facts_->setToolTip(QStringLiteral("%1\n%2\n%3").arg(f.folder, f.summary, f.tokenizer));
}

void ModelPanel::setRecentModels(const QStringList& folders) {
    recentFolders_ = folders;
    QMenu* menu = recent_->menu();
    menu->clear();
    for (const QString& f : folders)
        menu->addAction(f, this, [this, f] { Q_EMIT openRequested(f, dtype(), device()); });
    if (folders.isEmpty()) menu->addAction(tr("(none yet)"))->setEnabled(false);
}

}  // namespace ssmlens
