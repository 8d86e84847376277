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
#include <QEvent>
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

    anchorsBox_ = new QGroupBox;
    auto* anchorsLayout = new QVBoxLayout(anchorsBox_);
    anchorsLayout->addWidget(buildPresetRow());

    auto* globalRow = new QHBoxLayout;
    globalLabel_ = new QLabel;
    global_ = new ScheduleRatioControl;
    globalLabel_->setBuddy(global_->slider());
    // Under the thumb: how many tokens are left after the last anchor at that ratio.
    global_->setThumbText([this](double q) { return tokensLeftText(q); });
    globalRow->addWidget(globalLabel_);
    globalRow->addWidget(global_, 1);
    anchorsLayout->addLayout(globalRow);
    // The note keeps its place when hidden, so the rows below never move under the mouse.
    globalNote_ = new QLabel;
    globalNote_->setWordWrap(true);
    globalNote_->setForegroundRole(QPalette::PlaceholderText);
    QSizePolicy notePolicy = globalNote_->sizePolicy();
    notePolicy.setRetainSizeWhenHidden(true);
    globalNote_->setSizePolicy(notePolicy);
    anchorsLayout->addWidget(globalNote_);

    stripLabel_ = new QLabel;
    stripLabel_->setWordWrap(true);
    strip_ = new ScheduleLayerStrip;
    stripLabel_->setBuddy(strip_);
    anchorsLayout->addWidget(stripLabel_);
    anchorsLayout->addWidget(strip_);
    anchorsLayout->addWidget(buildAddRow());

    auto* rows = new QWidget;
    rowsLayout_ = new QVBoxLayout(rows);
    rowsLayout_->setContentsMargins(0, 0, 0, 0);
    rowsLayout_->setSpacing(2);
    noAnchors_ = new QLabel;
    noAnchors_->setWordWrap(true);
    rowsLayout_->addWidget(noAnchors_);
    anchorsLayout->addWidget(rows);
    layout->addWidget(anchorsBox_);

    effectBox_ = new QGroupBox;
    auto* effectLayout = new QVBoxLayout(effectBox_);
    figures_ = new QLabel;
    QFont big = figures_->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.15);
    figures_->setFont(big);
    figures_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    figuresNote_ = new QLabel;
    figuresNote_->setWordWrap(true);
    figuresNote_->setForegroundRole(QPalette::PlaceholderText);
    plot_ = new ScheduleCurvePlot;
    plot_->setMinimumHeight(150);
    effectLayout->addWidget(figures_);
    effectLayout->addWidget(figuresNote_);
    effectLayout->addWidget(plot_, 1);
    layout->addWidget(effectBox_, 1);

    connectControls();
    retranslateUi();
}

// Every fixed text of the editor; called again on a language change (the texts made from the state are
// refreshed by showState).
void ScheduleEditor::retranslateUi() {
    methodBox_->setTitle(tr("Method"));
    for (int i = 0; i < method_->count(); ++i) {
        const auto m = static_cast<ReductionMethod>(method_->itemData(i).toInt());
        method_->setItemText(i, tr("%1 — %2").arg(QString::fromStdString(methodName(m)), methodLabel(m)));
        method_->setItemData(i, methodDescription(m), Qt::ToolTipRole);
    }
    optionsToggle_->setToolTip(tr("Show or hide the options of the method"));
    const std::pair<QWidget*, QString> formLabels[] = {
        {method_, tr("&Method:")}, {metric_, tr("&Importance:")}, {hidden_, tr("&Hidden stream:")},
        {residual_, tr("&Residual stream:")}, {granularity_, tr("Hybrid &choice per:")}};
    for (const auto& [field, text] : formLabels)
        if (auto* label = qobject_cast<QLabel*>(methodForm_->labelForField(field))) label->setText(text);
    metric_->setItemText(0, tr("clip — sum of max(h, 0)"));
    metric_->setItemText(1, tr("raw — plain sum of h"));
    metric_->setItemText(2, tr("l2 — L2 norm of h"));
    metric_->setToolTip(tr("How a token's importance is scored from the mixer output h"));
    hidden_->setItemText(0, tr("hybrid — merge some, prune the rest"));
    hidden_->setItemText(1, tr("merge"));
    hidden_->setItemText(2, tr("prune"));
    residual_->setItemText(0, tr("merge"));
    residual_->setItemText(1, tr("prune"));
    granularity_->setItemText(0, tr("channel"));
    granularity_->setItemText(1, tr("token"));
    protect_->setText(tr("&Protect scored positions"));

    anchorsBox_->setTitle(tr("Anchors"));
    presetLabel_->setText(tr("Preset:"));
    presetDense_->setText(tr("None (dense)"));
    presetDense_->setToolTip(tr("Remove every anchor: no token reduction"));
    presetPaper_->setText(tr("Paper (64 layers)"));
    presetDepth_->setText(tr("Depth-scaled"));
    globalLabel_->setText(tr("&All anchors:"));
    global_->setToolTips(tr("Keep ratio q for every anchor: moving it sets all anchors to q. New anchors and the "
                            "depth-scaled preset also get q. An anchor keeps ceil(q·N) of its N tokens (at most "
                            "half go at one anchor). The slider is finer from 0.5 to 1; type any value in the field."));
    global_->setAccessibleNames(tr("Keep ratio of all anchors"));
    globalNote_->setText(tr("Anchors differ; moving this sets them all."));
    stripLabel_->setText(tr("Layers (click to add or remove an anchor):"));
    strip_->setToolTip(tr("One tick per layer; triangles mark anchors. Click a layer, or use the arrow keys and "
                          "Space, to add or remove an anchor."));
    addLayerLabel_->setText(tr("La&yer:"));
    addLayer_->setToolTip(tr("Layer for a new anchor: tokens are reduced after this layer"));
    addButton_->setText(tr("Add a&nchor"));
    noAnchors_->setText(tr("No anchors: every layer sees every token (dense)."));

    effectBox_->setTitle(tr("Effect"));
    figures_->setToolTip(tr("Analytic FLOPs of the forward pass (layers and head) and the mean share of tokens "
                            "removed per layer, against the dense model"));
    plot_->setToolTip(tr("Tokens entering each layer, dense (dashed) and with this schedule"));
    rebuildRows();
    showState(false);
}

void ScheduleEditor::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange && methodBox_) retranslateUi();
    QWidget::changeEvent(event);
}

QString ScheduleEditor::tokensLeftText(double q) const {
    // All anchors at q: the tokens after the last one, as scheduleFlops counts them.
    const int64_t length = effectiveLength();
    int64_t n = length;
    for (size_t i = 0; i < state_.schedule.anchors.size(); ++i) n = tokensAfterAnchor(n, q, state_.schedule.method);
    if (state_.schedule.anchors.empty()) return {};
    return tr("→ %1 of %2 tokens").arg(n).arg(length);
}

QWidget* ScheduleEditor::buildMethodBox() {
    methodBox_ = new QGroupBox;
    methodForm_ = new QFormLayout(methodBox_);
    methodForm_->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    method_ = compactCombo();
    for (ReductionMethod m : allMethods()) method_->addItem(QString(), int(m));
    methodForm_->addRow(QStringLiteral("-"), method_);
    // What the chosen method is, in one line under the selector (docs/findings.md compares them); showState
    // writes it.
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
    methodForm_->addRow(optionsToggle_);

    metric_ = compactCombo();
    for (ImportanceMetric m : {ImportanceMetric::Clip, ImportanceMetric::Raw, ImportanceMetric::L2})
        metric_->addItem(QString(), int(m));
    methodForm_->addRow(QStringLiteral("-"), metric_);

    hidden_ = compactCombo();
    for (HiddenStrategy h : {HiddenStrategy::Hybrid, HiddenStrategy::Merge, HiddenStrategy::Prune})
        hidden_->addItem(QString(), int(h));
    methodForm_->addRow(QStringLiteral("-"), hidden_);

    residual_ = compactCombo();
    for (ResidualStrategy r : {ResidualStrategy::Merge, ResidualStrategy::Prune}) residual_->addItem(QString(), int(r));
    methodForm_->addRow(QStringLiteral("-"), residual_);

    granularity_ = compactCombo();
    for (Granularity g : {Granularity::Channel, Granularity::Token}) granularity_->addItem(QString(), int(g));
    methodForm_->addRow(QStringLiteral("-"), granularity_);

    protect_ = new QCheckBox;
    methodForm_->addRow(protect_);
    showOptions(false);
    return methodBox_;
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
    // The caption above the buttons: in German the three side by side are already as wide as the panel.
    auto* row = new QWidget;
    auto* column = new QVBoxLayout(row);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(2);
    presetLabel_ = new QLabel;
    column->addWidget(presetLabel_);
    auto* layout = new QHBoxLayout;
    presetDense_ = new QPushButton;
    presetPaper_ = new QPushButton;
    presetDepth_ = new QPushButton;
    for (QPushButton* b : {presetDense_, presetPaper_, presetDepth_}) {
        b->setAutoDefault(false);
        layout->addWidget(b);
    }
    layout->addStretch(1);
    column->addLayout(layout);
    return row;
}

QWidget* ScheduleEditor::buildAddRow() {
    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    addLayerLabel_ = new QLabel;
    addLayer_ = new QSpinBox;
    addLayerLabel_->setBuddy(addLayer_);
    addButton_ = new QPushButton;
    addButton_->setAutoDefault(false);
    layout->addWidget(addLayerLabel_);
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
    // Beside the field: the tokens this anchor passes on at that ratio.
    r.ratio->setThumbText([this, layer](double q) {
        const auto& entering = report_.tokensEntering;
        if (layer < 0 || layer >= static_cast<int64_t>(entering.size())) return QString();
        return tr("→ %1").arg(tokensAfterAnchor(entering[layer], q, state_.schedule.method));
    }, false);
    r.ratio->thumbLabel()->setToolTip(tr("Tokens this anchor passes on to the next layer"));
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
    globalNote_->setVisible(mixed);  // its place is kept either way (retainSizeWhenHidden)

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
    global_->refreshThumbText();
    for (const AnchorRow& r : rows_) r.ratio->refreshThumbText();
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
