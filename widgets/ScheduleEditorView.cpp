// ScheduleEditor: building the controls and showing the state in them. Controls never hold the truth:
// showState() writes state_ into them with their signals blocked, and their signals turn into edits.
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPalette>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QStringList>
#include <QDoubleSpinBox>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

#include "widgets/ScheduleEditor.h"
#include "widgets/ScheduleCurvePlot.h"
#include "widgets/ScheduleLayerStrip.h"
#include "widgets/ScheduleRatioControl.h"

namespace ssmlens {
namespace {

// Which options change what a method does, read off recipeFor: an option matters when setting it
// differently changes the recipe. The metric always matters: the views colour tokens by importance even
// for the methods that do not rank by it.
struct OptionUse {
    bool hidden = true, residual = true, granularity = true, protect = true;
};

OptionUse optionsUsedBy(ReductionMethod m, const ReductionOptions& o) {
    auto recipe = [&](auto change) {
        ReductionOptions x = o;
        change(x);
        return recipeFor(m, x);
    };
    OptionUse u;
    u.hidden = recipe([](ReductionOptions& x) { x.hidden = HiddenStrategy::Merge; }).hidden !=
               recipe([](ReductionOptions& x) { x.hidden = HiddenStrategy::Prune; }).hidden;
    u.residual = recipe([](ReductionOptions& x) { x.residual = ResidualStrategy::Merge; }).residual !=
                 recipe([](ReductionOptions& x) { x.residual = ResidualStrategy::Prune; }).residual;
    // Granularity decides how the hybrid strategy chooses; with merge or prune there is no choice.
    u.granularity = recipeFor(m, o).hidden == HiddenStrategy::Hybrid &&
                    recipe([](ReductionOptions& x) { x.granularity = Granularity::Channel; }).granularity !=
                        recipe([](ReductionOptions& x) { x.granularity = Granularity::Token; }).granularity;
    u.protect = recipeFor(m, o).protectPositions;
    return u;
}

void selectData(QComboBox* combo, int value) {
    const QSignalBlocker block(combo);
    combo->setCurrentIndex(combo->findData(value));
}

QComboBox* compactCombo() {
    auto* combo = new QComboBox;
    // Long item texts must not widen the side panel; the open list shows them whole.
    combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    combo->setMinimumContentsLength(10);
    return combo;
}

}  // namespace

QString ScheduleEditor::methodDescription(ReductionMethod m) {
    switch (m) {
        case ReductionMethod::Utr:
            return tr("As described in the paper: tokens split by importance, matched by cosine, merged or pruned "
                      "per channel.");
        case ReductionMethod::UtrToken: return tr("As utr, with merge or prune chosen per token.");
        case ReductionMethod::UtrReference:
            return tr("As released: the authors' code, which produced the paper's tables. With clip it merges "
                      "positions 0, 2, …, 2r−2 into position 1, whatever the tokens are.");
        case ReductionMethod::Positional:
            return tr("Positional baseline: the r oldest tokens after the first merge into the first; the content "
                      "plays no part.");
        case ReductionMethod::Evit: return tr("EViT-style baseline: the least important tokens are pruned.");
        case ReductionMethod::Tome:
            return tr("ToMe-style baseline: even positions merge into their most similar odd position (cosine of h).");
        case ReductionMethod::Pumer: return tr("PuMer-style baseline: as ToMe, on the clipped output max(h, 0).");
        case ReductionMethod::PruneOnly: return tr("utr's split and matching; every removed token is pruned.");
        case ReductionMethod::MergeOnly: return tr("utr's split and matching; every removed token is merged.");
    }
    return QString();
}

QString ScheduleEditor::methodLabel(ReductionMethod m) {
    switch (m) {
        case ReductionMethod::Utr: return tr("as described in the paper");
        case ReductionMethod::UtrToken: return tr("as in the paper, per token");
        case ReductionMethod::UtrReference: return tr("as released (the paper's evaluation)");
        case ReductionMethod::Positional: return tr("positional baseline");
        case ReductionMethod::Evit: return tr("EViT baseline");
        case ReductionMethod::Tome: return tr("ToMe baseline");
        case ReductionMethod::Pumer: return tr("PuMer baseline");
        case ReductionMethod::PruneOnly: return tr("utr's split, prune");
        case ReductionMethod::MergeOnly: return tr("utr's split, merge");
    }
    return QString();
}

void ScheduleEditor::buildControls() {
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(buildMethodBox());

    auto* anchors = new QGroupBox(tr("Anchors"));
    auto* anchorsLayout = new QVBoxLayout(anchors);
    anchorsLayout->addWidget(buildPresetRow());

    auto* globalRow = new QHBoxLayout;
    auto* globalLabel = new QLabel(tr("&All anchors:"));
    global_ = new ScheduleRatioControl;
    globalLabel->setBuddy(global_->slider());
    global_->setToolTips(tr("Keep ratio q for every anchor: moving it sets all anchors to q. New anchors and the "
                            "depth-scaled preset also get q. An anchor keeps ceil(q·N) of its N tokens (at most "
                            "half go at one anchor)."));
    global_->setAccessibleNames(tr("Keep ratio of all anchors"));
    globalRow->addWidget(globalLabel);
    globalRow->addWidget(global_, 1);
    anchorsLayout->addLayout(globalRow);
    globalNote_ = new QLabel;
    globalNote_->setWordWrap(true);
    globalNote_->setForegroundRole(QPalette::PlaceholderText);
    anchorsLayout->addWidget(globalNote_);

    auto* stripLabel = new QLabel(tr("Layers (click to add or remove an anchor):"));
    strip_ = new ScheduleLayerStrip;
    stripLabel->setBuddy(strip_);
    strip_->setToolTip(tr("One tick per layer; triangles mark anchors. Click a layer, or use the arrow keys and "
                          "Space, to add or remove an anchor."));
    anchorsLayout->addWidget(stripLabel);
    anchorsLayout->addWidget(strip_);
    anchorsLayout->addWidget(buildAddRow());

    auto* rows = new QWidget;
    rowsLayout_ = new QVBoxLayout(rows);
    rowsLayout_->setContentsMargins(0, 0, 0, 0);
    rowsLayout_->setSpacing(2);
    noAnchors_ = new QLabel(tr("No anchors: every layer sees every token (dense)."));
    noAnchors_->setWordWrap(true);
    rowsLayout_->addWidget(noAnchors_);
    anchorsLayout->addWidget(rows);
    layout->addWidget(anchors);

    auto* effect = new QGroupBox(tr("Effect"));
    auto* effectLayout = new QVBoxLayout(effect);
    figures_ = new QLabel;
    QFont big = figures_->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.15);
    figures_->setFont(big);
    figures_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    figures_->setToolTip(tr("Analytic FLOPs of the forward pass (layers and head) and the mean share of tokens "
                            "removed per layer, against the dense model"));
    figuresNote_ = new QLabel;
    figuresNote_->setWordWrap(true);
    figuresNote_->setForegroundRole(QPalette::PlaceholderText);
    plot_ = new ScheduleCurvePlot;
    plot_->setMinimumHeight(160);
    plot_->setToolTip(tr("Tokens entering each layer, dense (dashed) and with this schedule"));
    effectLayout->addWidget(figures_);
    effectLayout->addWidget(figuresNote_);
    effectLayout->addWidget(plot_, 1);
    layout->addWidget(effect, 1);

    connectControls();
}

QWidget* ScheduleEditor::buildMethodBox() {
    auto* box = new QGroupBox(tr("Method"));
    methodForm_ = new QFormLayout(box);
    methodForm_->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    method_ = compactCombo();
    for (ReductionMethod m : allMethods()) {
        const QString name = QString::fromStdString(methodName(m));
        method_->addItem(tr("%1 — %2").arg(name, methodLabel(m)), int(m));
        method_->setItemData(method_->count() - 1, methodDescription(m), Qt::ToolTipRole);
    }
    methodForm_->addRow(tr("&Method:"), method_);
    // What the chosen method is, in one line under the selector (docs/findings.md compares them).
    methodNote_ = new QLabel;
    methodNote_->setWordWrap(true);
    QPalette muted = methodNote_->palette();  // a caption, not a control: the palette's muted text
    muted.setColor(QPalette::WindowText, muted.color(QPalette::PlaceholderText));
    methodNote_->setPalette(muted);
    methodForm_->addRow(methodNote_);

    // The options fold away: the defaults are the paper's, and the panel is short of height.
    optionsToggle_ = new QToolButton;
    optionsToggle_->setCheckable(true);
    optionsToggle_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    optionsToggle_->setAutoRaise(true);
    optionsToggle_->setFocusPolicy(Qt::StrongFocus);
    optionsToggle_->setToolTip(tr("Show or hide the options of the method"));
    methodForm_->addRow(optionsToggle_);

    metric_ = compactCombo();
    metric_->addItem(tr("clip — sum of max(h, 0)"), int(ImportanceMetric::Clip));
    metric_->addItem(tr("raw — plain sum of h"), int(ImportanceMetric::Raw));
    metric_->addItem(tr("l2 — L2 norm of h"), int(ImportanceMetric::L2));
    metric_->setToolTip(tr("How a token's importance is scored from the mixer output h"));
    methodForm_->addRow(tr("&Importance:"), metric_);

    hidden_ = compactCombo();
    hidden_->addItem(tr("hybrid — merge some, prune the rest"), int(HiddenStrategy::Hybrid));
    hidden_->addItem(tr("merge"), int(HiddenStrategy::Merge));
    hidden_->addItem(tr("prune"), int(HiddenStrategy::Prune));
    methodForm_->addRow(tr("&Hidden stream:"), hidden_);

    residual_ = compactCombo();
    residual_->addItem(tr("merge"), int(ResidualStrategy::Merge));
    residual_->addItem(tr("prune"), int(ResidualStrategy::Prune));
    methodForm_->addRow(tr("&Residual stream:"), residual_);

    granularity_ = compactCombo();
    granularity_->addItem(tr("channel"), int(Granularity::Channel));
    granularity_->addItem(tr("token"), int(Granularity::Token));
    methodForm_->addRow(tr("Hybrid &choice per:"), granularity_);

    protect_ = new QCheckBox(tr("&Protect scored positions"));
    methodForm_->addRow(protect_);
    showOptions(false);
    return box;
}

void ScheduleEditor::showOptions(bool shown) {
    optionsToggle_->setChecked(shown);
    optionsToggle_->setArrowType(shown ? Qt::DownArrow : Qt::RightArrow);
    int toggleRow = 0;
    QFormLayout::ItemRole role;
    methodForm_->getWidgetPosition(optionsToggle_, &toggleRow, &role);
    for (int row = toggleRow + 1; row < methodForm_->rowCount(); ++row) methodForm_->setRowVisible(row, shown);
}

QWidget* ScheduleEditor::buildPresetRow() {
    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("Preset:")));
    presetDense_ = new QPushButton(tr("None (dense)"));
    presetDense_->setToolTip(tr("Remove every anchor: no token reduction"));
    presetPaper_ = new QPushButton(tr("Paper (64 layers)"));
    presetDepth_ = new QPushButton(tr("Depth-scaled"));
    for (QPushButton* b : {presetDense_, presetPaper_, presetDepth_}) {
        b->setAutoDefault(false);
        layout->addWidget(b);
    }
    layout->addStretch(1);
    return row;
}

QWidget* ScheduleEditor::buildAddRow() {
    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* label = new QLabel(tr("La&yer:"));
    addLayer_ = new QSpinBox;
    label->setBuddy(addLayer_);
    addLayer_->setToolTip(tr("Layer for a new anchor: tokens are reduced after this layer"));
    addButton_ = new QPushButton(tr("Add a&nchor"));
    addButton_->setAutoDefault(false);
    layout->addWidget(label);
    layout->addWidget(addLayer_);
    layout->addWidget(addButton_);
    layout->addStretch(1);
    return row;
}

void ScheduleEditor::connectControls() {
    connect(method_, &QComboBox::currentIndexChanged, this,
            [this] { setMethod(static_cast<ReductionMethod>(method_->currentData().toInt())); });
    auto optionsFromControls = [this] {
        ReductionOptions o = state_.schedule.options;
        o.metric = static_cast<ImportanceMetric>(metric_->currentData().toInt());
        o.hidden = static_cast<HiddenStrategy>(hidden_->currentData().toInt());
        o.residual = static_cast<ResidualStrategy>(residual_->currentData().toInt());
        o.granularity = static_cast<Granularity>(granularity_->currentData().toInt());
        o.protectScoringSpan = protect_->isChecked();
        setOptions(o);
    };
    for (QComboBox* c : {metric_, hidden_, residual_, granularity_})
        connect(c, &QComboBox::currentIndexChanged, this, optionsFromControls);
    connect(protect_, &QCheckBox::toggled, this, optionsFromControls);
    connect(optionsToggle_, &QToolButton::toggled, this, &ScheduleEditor::showOptions);

    connect(presetDense_, &QPushButton::clicked, this, [this] { applyPreset(Preset::Dense); });
    connect(presetPaper_, &QPushButton::clicked, this, [this] { applyPreset(Preset::Paper64); });
    connect(presetDepth_, &QPushButton::clicked, this, [this] { applyPreset(Preset::DepthScaled); });

    connect(global_, &ScheduleRatioControl::dragStarted, this, [this] { ++gesture_; });
    connect(global_, &ScheduleRatioControl::ratioEdited, this,
            [this](double q, bool dragging) { editRatio(kGlobalKey, q, dragging); });
    connect(global_, &ScheduleRatioControl::gestureFinished, this, &ScheduleEditor::endGesture);

    connect(strip_, &ScheduleLayerStrip::layerActivated, this, &ScheduleEditor::toggleAnchor);
    connect(addLayer_, &QSpinBox::valueChanged, this, &ScheduleEditor::updateAddButton);
    connect(addButton_, &QPushButton::clicked, this, [this] { addAnchor(addLayer_->value()); });
}

ScheduleEditor::AnchorRow ScheduleEditor::makeRow(int64_t layer) {
    AnchorRow r;
    r.layer = layer;
    r.widget = new QWidget;
    auto* layout = new QHBoxLayout(r.widget);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* label = new QLabel(tr("Layer %1").arg(layer));
    // Room for "Layer 63" whatever the digits, so the sliders of all rows line up.
    label->setMinimumWidth(label->fontMetrics().horizontalAdvance(tr("Layer %1").arg(88888)));
    r.ratio = new ScheduleRatioControl;
    label->setBuddy(r.ratio->slider());
    r.ratio->setToolTips(tr("Share of its tokens that layer %1 keeps (q); the rest are pruned or merged").arg(layer));
    r.ratio->setAccessibleNames(tr("Keep ratio at layer %1").arg(layer));
    r.remove = new QToolButton;
    r.remove->setText(QStringLiteral("×"));
    r.remove->setToolTip(tr("Remove the anchor at layer %1").arg(layer));
    r.remove->setAccessibleName(tr("Remove the anchor at layer %1").arg(layer));
    r.remove->setFocusPolicy(Qt::StrongFocus);
    layout->addWidget(label);
    layout->addWidget(r.ratio, 1);
    layout->addWidget(r.remove);

    const int key = static_cast<int>(layer);
    connect(r.ratio, &ScheduleRatioControl::dragStarted, this, [this] { ++gesture_; });
    connect(r.ratio, &ScheduleRatioControl::ratioEdited, this,
            [this, key](double q, bool dragging) { editRatio(key, q, dragging); });
    connect(r.ratio, &ScheduleRatioControl::gestureFinished, this, &ScheduleEditor::endGesture);
    connect(r.remove, &QToolButton::clicked, this, [this, layer] { removeAnchor(layer); });
    return r;
}

void ScheduleEditor::rebuildRows() {
    // Where the keyboard was, so that removing a row with the keyboard leaves focus on the next row.
    int focusRow = -1;
    for (size_t i = 0; i < rows_.size(); ++i)
        if (rows_[i].widget->isAncestorOf(focusWidget())) focusRow = static_cast<int>(i);

    // deleteLater: the remove button that started this may still be inside its clicked() signal.
    for (AnchorRow& r : rows_) {
        rowsLayout_->removeWidget(r.widget);
        r.widget->hide();
        r.widget->deleteLater();
    }
    rows_.clear();
    for (const ScheduleAnchor& a : state_.schedule.anchors) {
        rows_.push_back(makeRow(a.layer));
        rowsLayout_->addWidget(rows_.back().widget);
        rows_.back().ratio->setRatio(a.keepRatio);
    }
    noAnchors_->setVisible(rows_.empty());

    // New rows would come last in the Tab chain (creation order); put them after "Add anchor".
    QWidget* previous = addButton_;
    for (const AnchorRow& r : rows_)
        for (QWidget* w : {static_cast<QWidget*>(r.ratio->slider()), static_cast<QWidget*>(r.ratio->field()),
                           static_cast<QWidget*>(r.remove)}) {
            setTabOrder(previous, w);
            previous = w;
        }
    if (focusRow >= 0) {
        if (rows_.empty())
            addButton_->setFocus();
        else
            rows_[std::min<size_t>(focusRow, rows_.size() - 1)].remove->setFocus();
    }
}

void ScheduleEditor::showState(bool layersChanged) {
    const ReductionSchedule& s = state_.schedule;
    selectData(method_, int(s.method));
    selectData(metric_, int(s.options.metric));
    selectData(hidden_, int(s.options.hidden));
    selectData(residual_, int(s.options.residual));
    selectData(granularity_, int(s.options.granularity));
    {
        const QSignalBlocker block(protect_);
        protect_->setChecked(s.options.protectScoringSpan);
    }
    updateOptionControls();
    method_->setToolTip(tr("How the tokens to remove are chosen and what happens to them. Now: %1")
                            .arg(methodDescription(s.method)));
    methodNote_->setText(methodDescription(s.method));

    global_->setRatio(state_.globalKeepRatio);
    const bool mixed = std::any_of(s.anchors.begin(), s.anchors.end(),
                                   [&](const ScheduleAnchor& a) { return a.keepRatio != state_.globalKeepRatio; });
    globalNote_->setText(mixed ? tr("Anchors differ; moving this sets them all.") : QString());
    globalNote_->setVisible(mixed);

    std::vector<int64_t> layers;
    std::vector<double> ratios;
    for (const auto& a : s.anchors) {
        layers.push_back(a.layer);
        ratios.push_back(a.keepRatio);
    }
    strip_->setLayerCount(config_.nLayer);
    strip_->setAnchors(layers, ratios);
    if (layersChanged || rows_.size() != s.anchors.size()) {
        rebuildRows();
    } else {
        for (size_t i = 0; i < rows_.size(); ++i) rows_[i].ratio->setRatio(s.anchors[i].keepRatio);
    }

    {
        const QSignalBlocker block(addLayer_);
        addLayer_->setRange(0, std::max<int>(0, static_cast<int>(config_.nLayer) - 1));
    }
    updateAddButton();

    presetPaper_->setEnabled(presetAvailable(Preset::Paper64));
    presetPaper_->setToolTip(
        presetAvailable(Preset::Paper64)
            ? tr("The paper's setting for 64-layer models: anchors at layers 12, 17, …, 42 with q = %1, "
                 "method utr with clip / hybrid / merge")
                  .arg(kDefaultKeepRatio)
            : tr("Only for 64-layer models (this one has %1 layers). Depth-scaled puts the paper's anchors at the "
                 "same relative depths.")
                  .arg(config_.nLayer));
    presetDepth_->setToolTip(tr("Seven anchors evenly spaced from 19% to 66% of the %1 layers (fewer for shallow "
                                "models), each with the global keep ratio; method and options stay")
                                 .arg(config_.nLayer));
    presetDense_->setEnabled(presetAvailable(Preset::Dense));
    presetDepth_->setEnabled(presetAvailable(Preset::DepthScaled));
    updateFigures();
}

void ScheduleEditor::updateAddButton() {
    const int layer = addLayer_->value();
    const auto& a = state_.schedule.anchors;
    const bool taken = std::any_of(a.begin(), a.end(), [&](const ScheduleAnchor& x) { return x.layer == layer; });
    addButton_->setEnabled(config_.nLayer > 0 && !taken);
    addButton_->setToolTip(taken ? tr("Layer %1 is already an anchor").arg(layer)
                                 : tr("Add an anchor at layer %1 with the global keep ratio").arg(layer));
}

void ScheduleEditor::updateOptionControls() {
    const OptionUse use = optionsUsedBy(state_.schedule.method, state_.schedule.options);
    const QString fixed = tr(" (fixed by the method %1)").arg(QString::fromStdString(methodName(state_.schedule.method)));
    auto mark = [&](QWidget* w, bool used, const QString& tip) {
        w->setEnabled(used);
        w->setToolTip(used ? tip : tip + fixed);
    };
    mark(hidden_, use.hidden, tr("What a removed token does to the mixer-output stream"));
    mark(residual_, use.residual, tr("What a removed token does to the residual stream"));
    mark(granularity_, use.granularity,
         tr("Whether the hybrid strategy chooses merge or prune per channel or per token"));
    // The folded options still say what they are: the ones that apply, by name.
    const ReductionOptions& o = state_.schedule.options;
    QStringList parts{QString::fromStdString(metricName(o.metric))};
    if (use.hidden) parts << QString::fromStdString(hiddenStrategyName(o.hidden));
    if (use.residual) parts << QString::fromStdString(residualStrategyName(o.residual));
    if (use.granularity) parts << QString::fromStdString(granularityName(o.granularity));
    if (use.protect && o.protectScoringSpan) parts << tr("protected");
    optionsToggle_->setText(tr("Options: %1").arg(parts.join(QStringLiteral(", "))));
    mark(protect_, use.protect,
         tr("Never remove the positions that predict a scored continuation (accuracy runs); the last token is "
            "always kept"));
}

void ScheduleEditor::updateFigures() {
    const int64_t length = effectiveLength();
    report_ = scheduleFlops(config_, state_.schedule, length);
    std::vector<int64_t> anchors;
    for (const auto& a : state_.schedule.anchors) anchors.push_back(a.layer);
    plot_->setData(length, report_.tokensEntering, anchors);
    figures_->setText(figuresText());
    figuresNote_->setText(promptLength_ > 0
                              ? tr("Analytic count for this %1-token prompt; no model run.").arg(length)
                              : tr("Analytic count for a %1-token prompt (no prompt yet); no model run.").arg(length));
}

int64_t ScheduleEditor::anchorRowLayer(int row) const {
    return row >= 0 && row < anchorRowCount() ? rows_[row].layer : -1;
}
ScheduleRatioControl* ScheduleEditor::anchorRatioControl(int row) const {
    return row >= 0 && row < anchorRowCount() ? rows_[row].ratio : nullptr;
}
QToolButton* ScheduleEditor::anchorRemoveButton(int row) const {
    return row >= 0 && row < anchorRowCount() ? rows_[row].remove : nullptr;
}
QPushButton* ScheduleEditor::presetButton(Preset preset) const {
    switch (preset) {
        case Preset::Dense: return presetDense_;
        case Preset::Paper64: return presetPaper_;
        case Preset::DepthScaled: return presetDepth_;
    }
    return nullptr;
}

}  // namespace ssmlens
