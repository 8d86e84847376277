#pragma once
// The About box: what SSM Lens is, which versions of Qt and libtorch it runs on, the compute devices it
// sees, the paper it is built around, and the licence note. The text is a plain function, so a test (or a
// bug report template) can read the same facts the dialog shows.
#include <QString>

class QWidget;

namespace ssmlens {

QString appVersion();  // "0.1": the project version this build was made from
QString aboutText();  // rich text (HTML)
void showAboutDialog(QWidget* parent);  // QMessageBox::about with aboutText()

}  // namespace ssmlens
