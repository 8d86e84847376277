// ssmlens: the desktop app. Usage: ssmlens [--model DIR] [--prompt TEXT] [--keep-ratio Q]
//                                          [--screenshot FILE.png] [--export-heatmap FILE]
// The last two run the app, wait for the first result (or accuracy with --run-accuracy), save, and quit.
#include <QApplication>
#include <QCommandLineParser>
#include <QLocale>
#include <QTimer>
#include <QTranslator>
#include <cstdio>

#include "app/gui/MainWindow.h"
#include "core/runtime/DemoModel.h"
#include "core/runtime/ThreadWaitPolicy.h"

int main(int argc, char** argv) {
    ssmlens::ensurePassiveThreadWaiting(argv);
    QApplication app(argc, argv);
    QApplication::setApplicationName("SSM Lens");
    QApplication::setOrganizationName("SSM Lens");
    // The language follows the system unless SSMLENS_LANGUAGE (e.g. "de", "zh_CN", "en") says otherwise.
    const QByteArray language = qgetenv("SSMLENS_LANGUAGE");
    const QLocale locale = language.isEmpty() ? QLocale() : QLocale(QString::fromUtf8(language));
    QTranslator translator;
    if (translator.load(locale, "ssmlens", "_", ":/i18n")) QApplication::installTranslator(&translator);

    QCommandLineParser cli;
    cli.setApplicationDescription(QApplication::tr("SSM Lens: see what token reduction does inside a Mamba-2 model"));
    cli.addHelpOption();
    QCommandLineOption model("model", QApplication::tr("Checkpoint folder to open"), "dir");
    QCommandLineOption prompt("prompt", QApplication::tr("Prompt to start with"), "text");
    QCommandLineOption keep("keep-ratio", QApplication::tr("Keep ratio at every anchor"), "q");
    QCommandLineOption shot("screenshot", QApplication::tr("Save a screenshot of the window after the first result, then quit"), "png");
    QCommandLineOption exportMap("export-heatmap", QApplication::tr("Export the heatmap after the first result, then quit"), "file");
    QCommandLineOption accuracy("run-accuracy", QApplication::tr("Run the accuracy check on the first bundled sample after the first result"));
    cli.addOptions({model, prompt, keep, shot, exportMap, accuracy});
    cli.process(app);

    ssmlens::MainWindow window;
    window.show();
    if (cli.isSet(keep)) window.setKeepRatio(cli.value(keep).toDouble());
    window.setPrompt(cli.isSet(prompt) ? cli.value(prompt)
                                       : QStringLiteral("The quick brown fox jumps over the lazy dog because the dog "
                                                        "was asleep in the warm afternoon sun."));
    const QString folder = cli.isSet(model) ? cli.value(model) : QString::fromStdString(ssmlens::defaultModelDir());
    if (!folder.isEmpty()) window.openModel(folder);

    if (cli.isSet(accuracy))
        QObject::connect(&window, &ssmlens::MainWindow::resultShown, &window, &ssmlens::MainWindow::runAccuracyCheck,
                         Qt::SingleShotConnection);
    if (cli.isSet(shot) || cli.isSet(exportMap)) {
        void (ssmlens::MainWindow::*readySignal)() = cli.isSet(accuracy) ? &ssmlens::MainWindow::accuracyShown : &ssmlens::MainWindow::resultShown;
        QObject::connect(&window, readySignal, &app, [&] {
            QTimer::singleShot(300, &app, [&] {
                int code = 0;
                if (cli.isSet(shot) && !window.grab().save(cli.value(shot))) code = 1;
                QString error;
                if (cli.isSet(exportMap) && !window.exportHeatmap(cli.value(exportMap), 1600, 1000, &error)) {
                    std::fprintf(stderr, "%s\n", qPrintable(error));
                    code = 1;
                }
                QApplication::exit(code);
            });
        });
        QTimer::singleShot(120000, &app, [&] {
            std::fprintf(stderr, "ssmlens: no result within 120 s (%s)\n", qPrintable(window.lastError()));
            QApplication::exit(2);
        });
    }
    return app.exec();
}
