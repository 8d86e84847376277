#pragma once
// ATen's whole operator set (at::randn, at::allclose, ...) for a test. Every test includes it through here rather
// than <ATen/ATen.h> directly, so that moc skips it: AUTOMOC runs moc on each test (its class is in the .cpp), and
// moc reads every header it can find from there. Through <ATen/ATen.h> that is ~3,900 operator headers, ~5 s of
// a 2-core CI machine per test target (~70 of them, ~150 s of CI's wall time; docs/reliability.md). moc needs
// none of them: a test class's slots take no ATen types.
#ifndef Q_MOC_RUN
#include <ATen/ATen.h>
#endif
