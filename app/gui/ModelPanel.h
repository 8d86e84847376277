#pragma once
// ModelPanel: which model is open and how to open another — the facts of the loaded model (shape, parameters,
// weight memory, dtype, device, tokenizer), the device and dtype to load with, the recent model folders, a
// button for the bundled demo model and one to choose a tokenizer file. It only asks; the window loads through the worker.
#include <QStringList>
#include <QWidget>

#include "app/gui/WorkerMessages.h"

class QComboBox;
class QLabel;
class QPushButton;

namespace ssmlens {

class ModelPanel : public QWidget {
    Q_OBJECT
public:
    explicit ModelPanel(QWidget* parent = nullptr);

    void showFacts(const ModelFacts& facts);
    void showLoading(const QString& folder);
    void setRecentModels(const QStringList& folders);
    QString dtype() const;   // "fp32", "bf16" or "fp16"
    QString device() const;  // "cpu" or "cuda:N"
    void setDevice(const QString& device);
    void setDtype(const QString& dtype);
    QString factsText() const;

protected:
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

Q_SIGNALS:
    void openRequested(const QString& folder, const QString& dtype, const QString& device);
    void browseRequested();
    void tokenizerRequested();  // "Tokenizer…": the window asks for the file

private:
    void reloadWithChoice();
    void retranslate();
    // Wrapped labels get the height their text needs at their current width: the splitter this panel sits in
    // does not pass height-for-width down, so a long tensor name would otherwise cut off the last line.
    void fitWrappedLabels();

    QLabel* modelLabel_;
    QLabel* runsOnLabel_;
    QPushButton* browse_;
    QLabel* facts_;
    QLabel* warnings_;  // NaN / Inf weights, ignored tensors (Mamba2Model::loadWarnings); hidden when none
    QComboBox* device_;
    QComboBox* dtype_;
    QPushButton* recent_;
    QPushButton* demo_;
    QPushButton* tokenizer_;
    QString folder_;
    ModelFacts shown_;  // what facts_ shows (redrawn in the new language)
    QString loading_;   // the folder being loaded, while it loads
    QStringList recentFolders_;
};

// Bytes per weight of a dtype name, for the memory figure.
int bytesPerWeight(const QString& dtype);

}  // namespace ssmlens
