#include "widgets/ScheduleEditCommand.h"

#include <utility>

namespace ssmlens {
namespace {
constexpr int kMergeableId = 0x5ced;  // any fixed id; the merge key and gesture decide the rest
}

ScheduleEditCommand::ScheduleEditCommand(Apply apply, ScheduleEditorState before, ScheduleEditorState after,
                                         const QString& text, int mergeKey, quint64 gesture)
    : QUndoCommand(text),
      apply_(std::move(apply)),
      before_(std::move(before)),
      after_(std::move(after)),
      mergeKey_(mergeKey),
      gesture_(gesture) {}

void ScheduleEditCommand::undo() { apply_(before_); }
void ScheduleEditCommand::redo() { apply_(after_); }

int ScheduleEditCommand::id() const { return mergeKey_ == kNoMerge ? -1 : kMergeableId; }

bool ScheduleEditCommand::mergeWith(const QUndoCommand* other) {
    const auto* o = dynamic_cast<const ScheduleEditCommand*>(other);
    if (!o || o->mergeKey_ != mergeKey_ || o->gesture_ != gesture_) return false;
    after_ = o->after_;
    setText(o->text());  // the menu names the value the drag ended on
    // A drag that ends where it started changed nothing: QUndoStack then drops the step.
    setObsolete(after_ == before_);
    return true;
}

}  // namespace ssmlens
