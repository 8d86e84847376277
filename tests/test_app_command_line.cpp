// The window's command line (AppCommandLine): every option read and checked without a display or a
// model; a bad value is a message naming the option, never silently ignored.
#include <QtTest/QtTest>

#include "app/gui/AppCommandLine.h"

using namespace ssmlens;

namespace {

QString parse(const QStringList& args, AppOptions* options) {
    AppCommandLine cli;
    return cli.parse(QStringList{"ssmlens"} + args, options);
}

}  // namespace

class TestAppCommandLine : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsEveryOption() {
        AppOptions o;
        QCOMPARE(parse({"--model", "/m", "--prompt", "Hi", "--keep-ratio", "0.905", "--schedule", "s.json", "--export",
                        "heatmap=a.pdf", "--export", "strip=b.svg", "--export-heatmap", "c.png", "--size", "1050x700",
                        "--dpi", "300", "--font-size", "8", "--layer", "3", "--token", "5", "--language", "de"},
                       &o),
                 QString());
        QCOMPARE(o.model, QString("/m"));
        QCOMPARE(o.prompt, QString("Hi"));
        QCOMPARE(*o.keepRatio, 0.905);
        QCOMPARE(o.schedulePath, QString("s.json"));
        QCOMPARE(int(o.exports.size()), 3);
        QCOMPARE(o.exports[0], std::make_pair(QString("heatmap"), QString("a.pdf")));
        QCOMPARE(o.exports[2], std::make_pair(QString("heatmap"), QString("c.png")));
        QCOMPARE(o.figure.widthPx, 1050);
        QCOMPARE(o.figure.heightPx, 700);
        QCOMPARE(o.figure.dpi, 300.0);
        QCOMPARE(o.figure.fontPt, 8.0);
        QCOMPARE(o.layer, 3);
        QCOMPARE(o.token, 5);
        QCOMPARE(o.language, QString("de"));
        QVERIFY(o.scripted());
        QVERIFY(!o.method);
        QCOMPARE(parse({"--method", "positional"}, &o), QString());
        QVERIFY(o.method && *o.method == ReductionMethod::Positional);
        QCOMPARE(parse({}, &o), QString());
        QVERIFY(!o.keepRatio && o.exports.empty() && !o.scripted());
    }

    void rejectsBadValuesWithTheOptionNamed() {
        AppOptions o;
        // Below 0.001 too: the editor shows three decimals and could not show the schedule the window runs.
        for (const QString& bad : {"7", "abc", "0", "-1", "1.0001", "nan", "", "0.0009", "1e-9"}) {
            const QString error = parse({"--keep-ratio", bad}, &o);
            QVERIFY2(error.contains("--keep-ratio") && error.contains("0.001"), qPrintable(bad + ": " + error));
        }
        QCOMPARE(parse({"--keep-ratio", "1"}, &o), QString());
        QCOMPARE(parse({"--keep-ratio", "0.001"}, &o), QString());
        QCOMPARE(*o.keepRatio, 0.001);
        QVERIFY(parse({"--export", "heatmap"}, &o).contains("VIEW=FILE"));
        QVERIFY(parse({"--export", "heatmap=a.bmp"}, &o).contains("bmp"));
        QVERIFY(parse({"--size", "big"}, &o).contains("--size"));
        QVERIFY(parse({"--size", "10x10"}, &o).contains("--size"));
        QVERIFY(parse({"--dpi", "0"}, &o).contains("--dpi"));
        QVERIFY(parse({"--font-size", "200"}, &o).contains("--font-size"));
        QVERIFY(parse({"--layer", "2.5"}, &o).contains("--layer"));
        QVERIFY(parse({"--no-such-option"}, &o).contains("no-such-option"));
        const QString method = parse({"--method", "sorted"}, &o);  // the message lists the valid names
        QVERIFY2(method.contains("--method") && method.contains("positional"), qPrintable(method));
        QVERIFY(!o.method);
        QVERIFY(parse({"--method", "evit", "--schedule", "s.json"}, &o).contains("--schedule"));
        QVERIFY(parse({"stray"}, &o).contains("stray"));
    }

    void helpAndVersionAreRecognised() {
        AppOptions o;
        QCOMPARE(parse({"--help"}, &o), QString());
        QVERIFY(o.help);
        QCOMPARE(parse({"--version"}, &o), QString());
        QVERIFY(o.version);
        AppCommandLine cli;
        QVERIFY(cli.helpText().contains("--export"));
    }
};

QTEST_APPLESS_MAIN(TestAppCommandLine)
#include "test_app_command_line.moc"
