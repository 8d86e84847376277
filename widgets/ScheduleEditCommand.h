#pragma once
// ScheduleEditCommand: one undoable edit of the ScheduleEditor, stored as the whole state before and
// after (a schedule is a few anchors, so snapshots are cheaper and safer than inverse operations).
// Slider drags and runs of arrow-key steps on one control come as many commands with the same merge key
// and gesture number; QUndoStack merges them into one step.
#include <QUndoCommand>
#include <functional>

#include "core/reduction/ReductionSchedule.h"

namespace ssmlens {

// What the editor can restore: the schedule, and the global keep ratio (the q that new anchors and the
// depth-scaled preset get, which is also what the global slider shows).
struct ScheduleEditorState {
    ReductionSchedule schedule;
    double globalKeepRatio = kDefaultKeepRatio;
    bool operator==(const ScheduleEditorState& o) const {
        return schedule == o.schedule && globalKeepRatio == o.globalKeepRatio;
    }
    bool operator!=(const ScheduleEditorState& o) const { return !(*this == o); }
};

class ScheduleEditCommand : public QUndoCommand {
public:
    using Apply = std::function<void(const ScheduleEditorState&)>;
    static constexpr int kNoMerge = -1;

    // mergeKey: which control made the edit (kNoMerge: never merged); gesture: the editor's gesture
    // counter when it was made. Commands merge only when both match.
    ScheduleEditCommand(Apply apply, ScheduleEditorState before, ScheduleEditorState after, const QString& text,
                        int mergeKey = kNoMerge, quint64 gesture = 0);

    void undo() override;
    void redo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand* other) override;

    const ScheduleEditorState& before() const { return before_; }
    const ScheduleEditorState& after() const { return after_; }

private:
    Apply apply_;
    ScheduleEditorState before_, after_;
    int mergeKey_;
    quint64 gesture_;
};

}  // namespace ssmlens
