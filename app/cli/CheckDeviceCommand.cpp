#include <cstdio>

#include "app/cli/CliArgs.h"
#include "app/cli/Commands.h"
#include "app/cli/ModelArgs.h"
#include "core/bench/DeviceCheck.h"

namespace ssmlens::cli {

int runCheckDevice(const Args& raw) {
    const std::vector<OptionSpec> specs = {
        {"device", "D", "the device to check: cuda (default), cuda:N or cpu"},
        {"groups", "G,..", "kernels, forward, reduce (default: all three)"},
        skipWithoutGpuOption()};
    CliArgs args(raw, specs);
    if (args.helpRequested()) {
        std::printf("%s", helpText("ssmlens-cli check-device [--device cuda] [--groups kernels,forward,reduce]",
                                   "Checks the engine on a device against its references on small random models: "
                                   "every hand-written kernel against the ATen path on the same device (fp32, bf16, "
                                   "fp16), the forward pass and token reduction (every method) against the CPU. "
                                   "Exits 1 when a case differs by more than its tolerance.",
                                   specs)
                              .c_str());
        return 0;
    }
    if (skippedWithoutGpu(args, "check-device", false)) return kSkippedExitCode;
    DeviceCheckSettings s;
    s.device = deviceFrom(args, "cuda");
    if (args.has("groups")) s.groups = splitList(args.get("groups"));
    s.progress = [](const std::string& line) { std::fprintf(stderr, "  %s\n", line.c_str()); };
    const auto results = runDeviceCheck(s);
    std::printf("%s", deviceCheckTable(results, s).c_str());
    for (const auto& r : results)
        if (!r.passed) return 1;
    return 0;
}

}  // namespace ssmlens::cli
