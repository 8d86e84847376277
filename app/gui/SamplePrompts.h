#pragma once
// Sample prompts offered in the window: short texts in the styles the demo model knows, and a longer one
// for seeing several anchors at work.
#include <QString>
#include <vector>

namespace ssmlens {

struct SamplePrompt {
    QString title, text;
};

std::vector<SamplePrompt> samplePrompts();

}  // namespace ssmlens
