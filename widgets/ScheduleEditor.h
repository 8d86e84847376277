#pragma once
// ScheduleEditor: the side panel where the user builds a ReductionSchedule — the method and its options,
// a preset, one keep ratio for all anchors, the anchors themselves (a row each, or clicks on a layer
// ruler), and what that costs: the tokens entering each layer and the FLOPs / token reduction, computed
// analytically with scheduleFlops (no model run). Every user edit is one undoable step on undoStack().
//
// The global keep ratio: moving it sets every anchor to that ratio. It is also the q that new anchors and
// the depth-scaled preset get. When all anchors share one ratio it shows that ratio; when they differ it
// keeps its last value and a note says so.
//
// Undo granularity: a slider drag is one step (its intermediate values merge); arrow-key steps on one
// slider or field merge until the field loses focus or another control is used; every other edit (add,
// remove, preset, method, option, a call from code) is a step of its own.
#include <QString>
#include <QWidget>
#include <cstdint>
#include <vector>

#include "core/model/ModelConfig.h"
#include "core/reduction/FlopsModel.h"
#include "core/reduction/ReductionSchedule.h"
#include "widgets/ScheduleEditCommand.h"

class QAction;
class QCheckBox;
class QComboBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QToolButton;
class QUndoStack;
class QVBoxLayout;

namespace ssmlens {

class ScheduleLayerStrip;
class ScheduleRatioControl;
class ScheduleCurvePlot;

class ScheduleEditor : public QWidget {
    Q_OBJECT
public:
    enum class Preset { Dense, Paper64, DepthScaled };

    explicit ScheduleEditor(QWidget* parent = nullptr);

    // The model's shape: anchors must lie in [0, nLayer), and the figures use its dimensions. Until it is
    // called the editor uses Mamba2Config's defaults (24 layers) with the depth-scaled preset. A different
    // depth lays the anchors out again: depthScaledSchedule(nLayer, global keep ratio, method), options
    // kept; a dense schedule stays dense. It is not undoable and clears the undo history (its steps belong
    // to the old depth). The same depth keeps the schedule and the history.
    void setModelConfig(const Mamba2Config& config);
    const Mamba2Config& modelConfig() const { return config_; }
    // Prompt tokens for the curve and the figures; until it is set (or for length <= 0) a nominal
    // kNominalPromptLength is used, and the figures say so.
    void setPromptLength(int64_t length);
    int64_t promptLength() const { return promptLength_; }
    static constexpr int64_t kNominalPromptLength = 1024;

    // Programmatic replacement (a model was loaded, the app starts): NOT undoable — it clears the undo
    // history. Returns false and changes nothing when the schedule does not validate for the current
    // depth (layer out of range, repeated layer, ratio outside (0, 1]); *error then says why.
    bool setSchedule(const ReductionSchedule& schedule, QString* error = nullptr);
    // The same as a user edit: one undoable step named `text` (e.g. "Import schedule.json").
    bool applySchedule(const ReductionSchedule& schedule, const QString& text, QString* error = nullptr);
    const ReductionSchedule& schedule() const { return state_.schedule; }

    // User edits, callable from code too; each is one undoable step. Those returning bool refuse (false,
    // nothing changes) a layer outside [0, nLayer), a layer that is (add) or is not (remove, set) an
    // anchor, or a ratio outside (0, 1].
    bool setGlobalKeepRatio(double q);  // every anchor gets q
    double globalKeepRatio() const { return state_.globalKeepRatio; }
    bool addAnchor(int64_t layer);      // with the global keep ratio
    bool removeAnchor(int64_t layer);
    bool setAnchorKeepRatio(int64_t layer, double q);
    void setMethod(ReductionMethod method);
    void setOptions(const ReductionOptions& options);
    // Dense: no anchors. Paper64: paperSchedule64() (method, options and ratios included; 64-layer
    // models only). DepthScaled: depthScaledSchedule(nLayer, global keep ratio, current method), keeping
    // the current options. Returns false when the preset does not apply to this model.
    bool applyPreset(Preset preset);
    bool presetAvailable(Preset preset) const;

    // For the window's Edit menu. The actions carry QKeySequence::Undo / Redo and belong to no widget
    // until the window adds them; use these or undoStack()->createUndoAction(), not both, or the two
    // shortcuts make each other ambiguous.
    QUndoStack* undoStack() const { return undoStack_; }
    QAction* undoAction() const { return undoAction_; }
    QAction* redoAction() const { return redoAction_; }

    // What the figures and the curve show, for the window and for tests.
    const FlopsReport& flopsReport() const { return report_; }
    QString figuresText() const;

    // For tests: the controls of anchor row `row` (in layer order).
    int anchorRowCount() const { return static_cast<int>(rows_.size()); }
    int64_t anchorRowLayer(int row) const;
    ScheduleRatioControl* anchorRatioControl(int row) const;
    QToolButton* anchorRemoveButton(int row) const;
    ScheduleRatioControl* globalRatioControl() const { return global_; }
    ScheduleLayerStrip* layerStrip() const { return strip_; }
    QSpinBox* addLayerSpinBox() const { return addLayer_; }
    QPushButton* addAnchorButton() const { return addButton_; }
    QPushButton* presetButton(Preset preset) const;
    QComboBox* methodCombo() const { return method_; }
    QLabel* methodNote() const { return methodNote_; }
    QToolButton* optionsToggle() const { return optionsToggle_; }
    ScheduleCurvePlot* curvePlot() const { return plot_; }

    static QString methodLabel(ReductionMethod method);        // a few words, for the combo
    static QString methodDescription(ReductionMethod method);  // one sentence, for tooltips

protected:
    void changeEvent(QEvent* event) override;

Q_SIGNALS:
    // After every change of the schedule, also on each step of a slider drag (the receiver coalesces;
    // the latest wins), on undo / redo and on setSchedule.
    void scheduleChanged(const ReductionSchedule& schedule);
    // After a change that is not part of a drag, and when a drag ends: a good moment for slow work.
    void editingFinished();

private:
    struct AnchorRow {
        int64_t layer = 0;
        QWidget* widget = nullptr;
        ScheduleRatioControl* ratio = nullptr;
        QToolButton* remove = nullptr;
    };
    static constexpr int kGlobalKey = -2;  // merge key of the global slider; anchors use their layer

    void buildControls();
    void retranslateUi();
    QString tokensLeftText(double q) const;  // under the global slider
    QWidget* buildMethodBox();
    QWidget* buildPresetRow();
    QWidget* buildAddRow();
    AnchorRow makeRow(int64_t layer);
    void connectControls();

    // Pushes one step from the current state to `next` (nothing when they are equal).
    void push(ScheduleEditorState next, const QString& text, int mergeKey = ScheduleEditCommand::kNoMerge);
    // The step's target: shows `next` and emits. Undo, redo and push all come through here.
    void restore(const ScheduleEditorState& next);
    ScheduleEditorState withSchedule(const ReductionSchedule& schedule) const;
    bool validFor(const ReductionSchedule& schedule, QString* error) const;
    void showState(bool layersChanged);
    void updateAddButton();
    void rebuildRows();
    void updateOptionControls();
    void showOptions(bool shown);
    void updateFigures();
    void editRatio(int mergeKey, double q, bool dragging);
    void endGesture();
    void toggleAnchor(int layer);
    int64_t effectiveLength() const { return promptLength_ > 0 ? promptLength_ : kNominalPromptLength; }

    Mamba2Config config_;
    int64_t promptLength_ = 0;
    ScheduleEditorState state_;
    FlopsReport report_;
    QUndoStack* undoStack_;
    QAction* undoAction_;
    QAction* redoAction_;
    quint64 gesture_ = 0;     // bumped whenever an edit gesture ends, so later edits start a new step
    bool pushing_ = false;    // restore() runs inside push(), not for an undo or redo
    bool dragging_ = false;   // a slider is held down

    QGroupBox* methodBox_ = nullptr;
    QGroupBox* anchorsBox_ = nullptr;
    QGroupBox* effectBox_ = nullptr;
    QLabel* globalLabel_ = nullptr;
    QLabel* stripLabel_ = nullptr;
    QLabel* presetLabel_ = nullptr;
    QLabel* addLayerLabel_ = nullptr;
    QFormLayout* methodForm_;
    QToolButton* optionsToggle_;
    QComboBox* method_;
    QLabel* methodNote_;  // the chosen method's one-line description
    QComboBox* metric_;
    QComboBox* hidden_;
    QComboBox* residual_;
    QComboBox* granularity_;
    QCheckBox* protect_;
    QPushButton* presetDense_;
    QPushButton* presetPaper_;
    QPushButton* presetDepth_;
    ScheduleRatioControl* global_;
    QLabel* globalNote_;
    ScheduleLayerStrip* strip_;
    QSpinBox* addLayer_;
    QPushButton* addButton_;
    QVBoxLayout* rowsLayout_;
    QLabel* noAnchors_;
    std::vector<AnchorRow> rows_;
    ScheduleCurvePlot* plot_;
    QLabel* figures_;
    QLabel* figuresNote_;
};

}  // namespace ssmlens

// Lets ReductionSchedule travel through queued connections and QVariant (QSignalSpy, QSettings).
#include <QMetaType>
Q_DECLARE_METATYPE(ssmlens::ReductionSchedule)
