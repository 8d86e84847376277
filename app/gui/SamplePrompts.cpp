#include "app/gui/SamplePrompts.h"

#include <QCoreApplication>

namespace ssmlens {

std::vector<SamplePrompt> samplePrompts() {
    // QT_TRANSLATE_NOOP marks the titles for lupdate under the context the lookup below uses.
    auto title = [](const char* s) { return QCoreApplication::translate("SamplePrompts", s); };
    // The texts stay English: the demo model knows no other language.
    return {
        {title(QT_TRANSLATE_NOOP("SamplePrompts", "Genesis (King James Bible)")),
         "In the beginning God created the heaven and the earth. And the earth was without form, and void; and "
         "darkness was upon the face of the deep. And the Spirit of God moved upon the face of the waters."},
        {title(QT_TRANSLATE_NOOP("SamplePrompts", "A dictionary definition")),
         "Lighthouse: a tower or other structure with a powerful light at the top, built on a coast or an island "
         "to guide ships at night and warn them of rocks. The light of a lighthouse"},
        {title(QT_TRANSLATE_NOOP("SamplePrompts", "Linux documentation")),
         "The kernel keeps a list of the processes that are ready to run. When the running process blocks, the "
         "scheduler picks the next process from this list and switches to it. The scheduler"},
        {title(QT_TRANSLATE_NOOP("SamplePrompts", "A repeated name (long)")),
         "The old sailor Tobias lived in a small house by the harbour. Every morning Tobias walked to the end of "
         "the pier and looked at the sea for a long time. The children of the town liked to follow him, because "
         "Tobias told them stories about storms and islands and the ships he had known. One winter the sea froze "
         "near the shore, and for the first time in forty years the pier was empty in the morning. The children "
         "went to the small house by the harbour and knocked on the door, and after a while the door opened and "
         "there stood"},
    };
}

}  // namespace ssmlens
