#pragma once
// Where the bundled demo model lives: $SSMLENS_DEMO_MODEL, then <exe>/../share/ssmlens/demo-model,
// <exe>/../../resources/demo-model (a build tree), then the source tree's resources/demo-model.
#include <string>

namespace ssmlens {

// The folder, or "" when no demo model is installed.
std::string defaultModelDir();

}  // namespace ssmlens
