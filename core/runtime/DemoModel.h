#pragma once
// Where the bundled resources live (the demo model, sample prompts and eval sets):
// $SSMLENS_RESOURCES, then <exe>/../share/ssmlens, <exe>/../../resources (a build tree), then the source
// tree's resources/.
#include <string>

namespace ssmlens {

// The resources folder, or "" when none is found.
std::string resourcesDir();
// The demo model folder (resources/demo-model, or $SSMLENS_DEMO_MODEL), or "" when none is installed.
std::string defaultModelDir();

}  // namespace ssmlens
