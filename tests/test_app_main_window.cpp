// The window end to end: open a checkpoint with a tokenizer, run a prompt, move the keep-ratio slider,
// see the views change, export the heatmap as PNG and check the file; a bad folder is a message, not a crash.
#include <QSignalSpy>
#include <QtTest/QtTest>

#include "app/gui/MainWindow.h"
#include "widgets/ImportanceHeatmap.h"

using namespace ssmlens;

class TestMainWindow : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString model_;

    static bool runCli(const QStringList& args) {
        QProcess p;
        p.start(QString(SSMLENS_BIN_DIR) + "/ssmlens-cli", args);
        return p.waitForFinished(120000) && p.exitCode() == 0;
    }

private Q_SLOTS:
    void initTestCase() {
        model_ = tmp_.filePath("model");
        QVERIFY(runCli({"random-model", "--size", "tiny", "--seed", "3", "--out", model_}));
        QFile corpus(tmp_.filePath("corpus.txt"));
        QVERIFY(corpus.open(QIODevice::WriteOnly));
        for (int i = 0; i < 300; ++i)
            corpus.write(QString("Sentence %1 says the model reads tokens, merges some and prunes others.\n").arg(i).toUtf8());
        corpus.close();
        QVERIFY(runCli({"train-tokenizer", "--input", corpus.fileName(), "--vocab-size", "400", "--out",
                        model_ + "/tokenizer.model"}));
    }

    void runsMovesTheSliderAndExports() {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QSignalSpy shown(&w, &MainWindow::resultShown);
        w.setPrompt("the model reads tokens and merges some of them while it prunes others");
        w.setKeepRatio(1.0);
        w.openModel(model_);
        QVERIFY2(shown.wait(60000), qPrintable(w.lastError()));
        // Ratio 1: nothing removed at any anchor.
        QCOMPARE(w.heatmap()->markerCount(1) + w.heatmap()->markerCount(2), 0);

        w.setKeepRatio(0.5);  // the slider; the run happens on the worker thread
        QTRY_VERIFY_WITH_TIMEOUT(w.heatmap()->markerCount(1) > 0, 60000);

        const QString png = tmp_.filePath("heatmap.png");
        QString error;
        QVERIFY2(w.exportHeatmap(png, 1200, 700, &error), qPrintable(error));
        QImage image(png);
        QCOMPARE(image.size(), QSize(1200, 700));
        // Not a blank picture: the heatmap has many colours.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7)
            for (int x = 0; x < image.width(); x += 7) colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 50, qPrintable(QString::number(colours.size())));
    }

    void accuracyCheckOnTheBundledSample() {
        MainWindow w;
        QSignalSpy shown(&w, &MainWindow::resultShown);
        QSignalSpy accuracy(&w, &MainWindow::accuracyShown);
        w.setPrompt("a short prompt");
        w.setKeepRatio(0.6);
        w.openModel(model_);
        QVERIFY2(shown.wait(60000), qPrintable(w.lastError()));
        w.runAccuracyCheck();  // the first entry: the bundled LAMBADA-style sample
        QVERIFY2(accuracy.wait(120000), qPrintable(w.lastError()));
        QVERIFY(w.accuracyBarsShown() >= 1);
    }

    void badFolderIsAMessage() {
        MainWindow w;
        w.openModel(tmp_.filePath("nowhere"));
        QTRY_VERIFY_WITH_TIMEOUT(!w.lastError().isEmpty(), 30000);
        QVERIFY(w.lastError().contains("nowhere"));
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_app_main_window.moc"
