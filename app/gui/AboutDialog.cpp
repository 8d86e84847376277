#include "app/gui/AboutDialog.h"

#include <QCoreApplication>
#include <QMessageBox>
#include <QStringList>
#include <QtGlobal>

#if __has_include(<torch/version.h>)
#include <torch/version.h>  // libtorch 1.13 (Debian) and PyTorch 2.x both ship it; no ATen in it
#endif

#include "core/runtime/ComputeDevices.h"

#ifndef PROJECT_VERSION
#define PROJECT_VERSION "0.1"
#endif
#ifndef TORCH_VERSION
#define TORCH_VERSION "unknown"
#endif

namespace ssmlens {
namespace {

QString devicesText() {
    QStringList lines;
    lines << QCoreApplication::translate("ssmlens::AboutDialog", "CPU threads: %1").arg(cpuThreads());
    const std::vector<std::string> gpus = cudaDeviceNames();
    if (gpus.empty()) lines << QCoreApplication::translate("ssmlens::AboutDialog", "CUDA: no GPU available");
    for (size_t i = 0; i < gpus.size(); ++i)
        lines << QCoreApplication::translate("ssmlens::AboutDialog", "CUDA GPU %1: %2").arg(i).arg(QString::fromStdString(gpus[i]));
    return lines.join("<br>");
}

}  // namespace

QString appVersion() { return QStringLiteral(PROJECT_VERSION); }

QString aboutText() {
    const QString version = appVersion();
    QString text;
    text += QStringLiteral("<h3>SSM Lens %1</h3>").arg(version);
    text += "<p>" + QCoreApplication::translate("ssmlens::AboutDialog",
                                                "See what token reduction does inside a Mamba-2 language model.") +
            "</p>";
    text += "<p>" +
            QCoreApplication::translate("ssmlens::AboutDialog", "Qt %1 (built with %2)<br>libtorch %3")
                .arg(QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR), QStringLiteral(TORCH_VERSION)) +
            "</p>";
    text += "<p>" + devicesText() + "</p>";
    text += "<p>" +
            QCoreApplication::translate("ssmlens::AboutDialog",
                                        "Built around the methods of Zhan et al., “Rethinking Token Reduction for "
                                        "State Space Models”, EMNLP 2024.") +
            "</p>";
    text += "<p>" +
            QCoreApplication::translate("ssmlens::AboutDialog",
                                        "Qt is used under the GNU LGPL v3, libtorch under the PyTorch BSD-style "
                                        "licence.") +
            "</p>";
    return text;
}

void showAboutDialog(QWidget* parent) {
    QMessageBox::about(parent, QCoreApplication::translate("ssmlens::AboutDialog", "About SSM Lens"), aboutText());
}

}  // namespace ssmlens
