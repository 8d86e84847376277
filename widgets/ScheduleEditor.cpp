// ScheduleEditor: the state and the edits (every user edit goes through push() as one undoable step).
// The controls are built and refreshed in ScheduleEditorView.cpp.
#include "widgets/ScheduleEditor.h"

#include <QAction>
#include <QKeySequence>
#include <QLocale>
#include <QUndoStack>
#include <algorithm>
#include <exception>
#include <stdexcept>

#include "widgets/ScheduleRatioControl.h"

namespace ssmlens {
namespace {

bool validRatio(double q) { return q > 0.0 && q <= 1.0; }  // false for NaN too

std::vector<int64_t> anchorLayers(const ReductionSchedule& s) {
    std::vector<int64_t> layers;
    for (const auto& a : s.anchors) layers.push_back(a.layer);
    return layers;
}

}  // namespace

ScheduleEditor::ScheduleEditor(QWidget* parent) : QWidget(parent), undoStack_(new QUndoStack(this)) {
    undoAction_ = undoStack_->createUndoAction(this, tr("&Undo"));
    undoAction_->setShortcut(QKeySequence::Undo);
    undoAction_->setToolTip(tr("Undo the last schedule edit"));
    redoAction_ = undoStack_->createRedoAction(this, tr("&Redo"));
    redoAction_->setShortcut(QKeySequence::Redo);
    redoAction_->setToolTip(tr("Redo the schedule edit just undone"));

    state_.schedule = depthScaledSchedule(config_.nLayer, state_.globalKeepRatio);
    buildControls();
    showState(true);
}

void ScheduleEditor::setModelConfig(const Mamba2Config& config) {
    const bool newDepth = config.nLayer != config_.nLayer;
    config_ = config;
    if (!newDepth) {
        showState(false);  // the figures follow the model's dimensions
        return;
    }
    ScheduleEditorState next = state_;
    if (!next.schedule.anchors.empty()) {
        const ReductionSchedule laidOut =
            depthScaledSchedule(std::max<int64_t>(0, config_.nLayer), next.globalKeepRatio, next.schedule.method);
        next.schedule.anchors = laidOut.anchors;
    }
    undoStack_->clear();
    restore(next);
}

void ScheduleEditor::setPromptLength(int64_t length) {
    if (length == promptLength_) return;
    promptLength_ = length;
    updateFigures();
}

bool ScheduleEditor::validFor(const ReductionSchedule& schedule, QString* error) const {
    try {
        // validate() skips the range check for a depth <= 0; here such a model takes no anchor at all.
        if (config_.nLayer <= 0 && !schedule.anchors.empty())
            throw std::runtime_error("schedule: the model has no layers to put anchors after");
        schedule.validate(config_.nLayer, "schedule");
        if (!std::is_sorted(schedule.anchors.begin(), schedule.anchors.end(),
                            [](const ScheduleAnchor& a, const ScheduleAnchor& b) { return a.layer < b.layer; }))
            throw std::runtime_error("schedule: anchors are not sorted by layer");
        return true;
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
}

ScheduleEditorState ScheduleEditor::withSchedule(const ReductionSchedule& schedule) const {
    ScheduleEditorState s{schedule, state_.globalKeepRatio};
    // The global slider follows the anchors when they agree; when they differ it keeps its value.
    const auto& a = schedule.anchors;
    if (!a.empty() && std::all_of(a.begin(), a.end(), [&](const ScheduleAnchor& x) { return x.keepRatio == a[0].keepRatio; }))
        s.globalKeepRatio = a[0].keepRatio;
    return s;
}

bool ScheduleEditor::setSchedule(const ReductionSchedule& schedule, QString* error) {
    if (!validFor(schedule, error)) return false;
    undoStack_->clear();
    restore(withSchedule(schedule));
    return true;
}

bool ScheduleEditor::applySchedule(const ReductionSchedule& schedule, const QString& text, QString* error) {
    if (!validFor(schedule, error)) return false;
    push(withSchedule(schedule), text);
    return true;
}

void ScheduleEditor::push(ScheduleEditorState next, const QString& text, int mergeKey) {
    if (next == state_) return;
    // Snapshot before/after; restore() is the only place that changes state_.
    auto* command = new ScheduleEditCommand([this](const ScheduleEditorState& s) { restore(s); }, state_,
                                            std::move(next), text, mergeKey, gesture_);
    pushing_ = true;
    undoStack_->push(command);  // runs redo(), then may merge it into the step on top
    pushing_ = false;
}

void ScheduleEditor::restore(const ScheduleEditorState& next) {
    const bool scheduleDiffers = !(next.schedule == state_.schedule);
    const bool layersDiffer = anchorLayers(next.schedule) != anchorLayers(state_.schedule);
    state_ = next;
    // An undo or redo ends any gesture: the next arrow key must not merge into an older step.
    if (!pushing_) ++gesture_;
    showState(layersDiffer);
    if (scheduleDiffers) {
        Q_EMIT scheduleChanged(state_.schedule);
        if (!dragging_) Q_EMIT editingFinished();
    }
}

bool ScheduleEditor::setGlobalKeepRatio(double q) {
    if (!validRatio(q)) return false;
    ++gesture_;  // a call from code is a step of its own
    editRatio(kGlobalKey, q, false);
    ++gesture_;
    return true;
}

bool ScheduleEditor::addAnchor(int64_t layer) {
    if (layer < 0 || layer >= config_.nLayer) return false;
    ReductionSchedule s = state_.schedule;
    auto it = std::lower_bound(s.anchors.begin(), s.anchors.end(), layer,
                               [](const ScheduleAnchor& a, int64_t l) { return a.layer < l; });
    if (it != s.anchors.end() && it->layer == layer) return false;
    s.anchors.insert(it, ScheduleAnchor{layer, state_.globalKeepRatio});
    push(withSchedule(s), tr("Add anchor at layer %1").arg(layer));
    return true;
}

bool ScheduleEditor::removeAnchor(int64_t layer) {
    ReductionSchedule s = state_.schedule;
    auto it = std::find_if(s.anchors.begin(), s.anchors.end(), [&](const ScheduleAnchor& a) { return a.layer == layer; });
    if (it == s.anchors.end()) return false;
    s.anchors.erase(it);
    push(withSchedule(s), tr("Remove anchor at layer %1").arg(layer));
    return true;
}

bool ScheduleEditor::setAnchorKeepRatio(int64_t layer, double q) {
    const auto& a = state_.schedule.anchors;
    if (!validRatio(q) || std::none_of(a.begin(), a.end(), [&](const ScheduleAnchor& x) { return x.layer == layer; }))
        return false;
    ++gesture_;  // a call from code is a step of its own
    editRatio(static_cast<int>(layer), q, false);
    ++gesture_;
    return true;
}

void ScheduleEditor::editRatio(int mergeKey, double q, bool dragging) {
    dragging_ = dragging;
    ScheduleEditorState next = state_;
    QString text;
    if (mergeKey == kGlobalKey) {
        next.globalKeepRatio = q;
        for (auto& a : next.schedule.anchors) a.keepRatio = q;
        text = tr("Set every keep ratio to %1").arg(QLocale().toString(q, 'f', 3));
    } else {
        for (auto& a : next.schedule.anchors)
            if (a.layer == mergeKey) a.keepRatio = q;
        next = withSchedule(next.schedule);
        text = tr("Set keep ratio at layer %1 to %2").arg(mergeKey).arg(QLocale().toString(q, 'f', 3));
    }
    push(std::move(next), text, mergeKey);
}

void ScheduleEditor::endGesture() {
    const bool wasDragging = dragging_;
    dragging_ = false;
    ++gesture_;
    if (wasDragging) Q_EMIT editingFinished();
}

void ScheduleEditor::setMethod(ReductionMethod method) {
    ScheduleEditorState next = state_;
    next.schedule.method = method;
    push(std::move(next), tr("Method %1").arg(QString::fromStdString(methodName(method))));
}

void ScheduleEditor::setOptions(const ReductionOptions& options) {
    ScheduleEditorState next = state_;
    next.schedule.options = options;
    push(std::move(next), tr("Change reduction options"));
}

bool ScheduleEditor::presetAvailable(Preset preset) const {
    if (preset == Preset::Paper64) return config_.nLayer == 64;
    return config_.nLayer > 0;
}

bool ScheduleEditor::applyPreset(Preset preset) {
    if (!presetAvailable(preset)) return false;
    ReductionSchedule s = state_.schedule;
    QString text;
    switch (preset) {
        case Preset::Dense:
            s.anchors.clear();
            text = tr("Preset: none (dense)");
            break;
        case Preset::Paper64:
            s = paperSchedule64();
            text = tr("Preset: paper (64 layers)");
            break;
        case Preset::DepthScaled:
            s.anchors = depthScaledSchedule(config_.nLayer, state_.globalKeepRatio, s.method).anchors;
            text = tr("Preset: depth-scaled");
            break;
    }
    push(withSchedule(s), text);
    return true;
}

void ScheduleEditor::toggleAnchor(int layer) {
    if (!removeAnchor(layer)) addAnchor(layer);
}

QString ScheduleEditor::figuresText() const {
    // A typographic minus (U+2212), as wide as a plus sign.
    return tr("FLOPs −%1 %, tokens −%2 %")
        .arg(QLocale().toString(report_.flopsReductionPercent, 'f', 1), QLocale().toString(report_.tokenReductionPercent, 'f', 1));
}

}  // namespace ssmlens
