#pragma once
// ExportFigureDialog: which view to export, at what size and resolution. The format follows the file name
// chosen afterwards (PNG, PDF or SVG). Remembers the last choice for the session.
#include <QDialog>
#include <QStringList>

class QComboBox;
class QDoubleSpinBox;
class QSpinBox;

namespace ssmlens {

struct FigureChoice {
    int view = 0;  // index into the names given
    int width = 1600, height = 1000;
    double dpi = 96;
};

class ExportFigureDialog : public QDialog {
    Q_OBJECT
public:
    ExportFigureDialog(const QStringList& viewNames, const FigureChoice& initial, QWidget* parent = nullptr);
    FigureChoice choice() const;

private:
    QComboBox* view_;
    QSpinBox* width_;
    QSpinBox* height_;
    QDoubleSpinBox* dpi_;
};

}  // namespace ssmlens
