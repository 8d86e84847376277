// AppSettings over a scratch INI file (never the user's settings): recent model folders keep the newest
// first, once each, at most eight, and hide folders that are gone; language, device, dtype, export folder
// and window layout persist across instances. Also the About text: the Qt and libtorch versions it reports.
#include <QSettings>
#include <QtTest/QtTest>

#include <ATen/Parallel.h>

#include "app/gui/AboutDialog.h"
#include "app/gui/AppSettings.h"

using namespace ssmlens;

class TestAppSettings : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    int iniCount_ = 0;

    QString freshIni() { return tmp_.filePath(QString("settings-%1.ini").arg(++iniCount_)); }
    QString folder(int i) {
        const QString f = tmp_.filePath(QString("model-%1").arg(i));
        QDir().mkpath(f);
        return f;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(tmp_.isValid()); }

    void recentModelsNewestFirstUniqueAtMostEight() {
        AppSettings s(freshIni());
        QVERIFY(s.recentModels().isEmpty());
        for (int i = 0; i < 10; ++i) s.addRecentModel(folder(i));
        QStringList expected;
        for (int i = 9; i >= 2; --i) expected << folder(i);
        QCOMPARE(s.recentModels(), expected);

        s.addRecentModel(folder(5));  // reopened: to the front, not twice
        expected.removeAll(folder(5));
        expected.prepend(folder(5));
        QCOMPARE(s.recentModels(), expected);

        s.addRecentModel(folder(7) + "/");  // the same folder, spelled differently
        s.addRecentModel(folder(7) + "/../model-7/.");
        QCOMPARE(s.recentModels().count(folder(7)), 1);
        QCOMPARE(s.recentModels().first(), folder(7));
        QCOMPARE(s.recentModels().size(), AppSettings::kMaxRecentModels);

        s.removeRecentModel(folder(7));
        QVERIFY(!s.recentModels().contains(folder(7)));
        s.clearRecentModels();
        QVERIFY(s.recentModels().isEmpty());
    }

    void relativeFoldersAreStoredAbsolute() {
        AppSettings s(freshIni());
        const QString f = folder(20);
        const QString cwd = QDir::currentPath();
        QDir::setCurrent(tmp_.path());
        s.addRecentModel("model-20");
        QDir::setCurrent(cwd);
        QCOMPARE(s.recentModels(), QStringList({f}));
    }

    void missingFoldersArePruned() {
        AppSettings s(freshIni());
        const QString kept = folder(30), gone = folder(31);
        s.addRecentModel(kept);
        s.addRecentModel(gone);
        QCOMPARE(s.recentModels(), QStringList({gone, kept}));
        QVERIFY(QDir(gone).removeRecursively());
        QCOMPARE(s.recentModels(), QStringList({kept}));
        s.addRecentModel(folder(32));
        QCOMPARE(s.settings()->value("models/recent").toStringList(), QStringList({folder(32), kept}));
    }

    void valuesPersistAcrossInstances() {
        const QString ini = freshIni();
        const QByteArray geometry("\x01\xd9\xd0\xcb\x00\x03\x00\x00 binary", 16);
        const QByteArray state("\x00\xff\x00state", 8);
        {
            AppSettings s(ini);
            QCOMPARE(s.language(), QString("system"));
            QCOMPARE(s.device(), QString("cpu"));
            QCOMPARE(s.dtype(), QString("fp32"));
            QVERIFY(s.lastExportFolder().isEmpty());
            QVERIFY(s.windowGeometry().isEmpty());
            s.addRecentModel(folder(40));
            QVERIFY(s.setLanguage("zh_CN"));
            s.setDevice("cuda:0");
            s.setDtype("bf16");
            s.setLastExportFolder("/home/someone/Bilder/Ergebnisse");
            s.setWindowGeometry(geometry);
            s.setWindowState(state);
            s.sync();
        }
        AppSettings s(ini);
        QCOMPARE(s.recentModels(), QStringList({folder(40)}));
        QCOMPARE(s.language(), QString("zh_CN"));
        QCOMPARE(s.device(), QString("cuda:0"));
        QCOMPARE(s.dtype(), QString("bf16"));
        QCOMPARE(s.lastExportFolder(), QString("/home/someone/Bilder/Ergebnisse"));
        QCOMPARE(s.windowGeometry(), geometry);
        QCOMPARE(s.windowState(), state);
    }

    void languageIsOneOfTheKnownCodes() {
        AppSettings s(freshIni());
        QCOMPARE(AppSettings::languages(), QStringList({"system", "en", "de", "zh_CN"}));
        QVERIFY(s.setLanguage("de"));
        QVERIFY(!s.setLanguage("fr"));
        QCOMPARE(s.language(), QString("de"));
        s.settings()->setValue("ui/language", "klingon");  // edited by hand
        QCOMPARE(s.language(), QString("system"));
        QCOMPARE(AppSettings::localeFor("zh_CN").name(), QString("zh_CN"));
        QCOMPARE(AppSettings::localeFor("de").language(), QLocale::German);
        QCOMPARE(AppSettings::localeFor("system"), QLocale());
    }

    void borrowedQSettingsIsUsedAndNotDeleted() {
        auto* qs = new QSettings(freshIni(), QSettings::IniFormat);
        {
            AppSettings s(qs);
            s.setDtype("fp16");
        }
        QCOMPARE(qs->value("models/dtype").toString(), QString("fp16"));  // still alive, and written through
        delete qs;
    }

    void aboutTextNamesTheVersions() {
        const QString text = aboutText();
        QVERIFY2(text.contains(QString::fromLatin1(qVersion())), qPrintable(text));
        QVERIFY2(text.contains(QRegularExpression("libtorch \\d+\\.\\d+")), qPrintable(text));  // not "unknown"
        QVERIFY2(text.contains(QRegularExpression("SSM Lens \\d+\\.\\d+")), qPrintable(text));
        QVERIFY2(text.contains(QString("CPU threads: %1").arg(at::get_num_threads())), qPrintable(text));
        QVERIFY2(text.contains("CUDA"), qPrintable(text));
        QVERIFY2(text.contains("Rethinking Token Reduction for State Space Models") && text.contains("EMNLP 2024"),
                 qPrintable(text));
        QVERIFY2(text.contains("LGPL"), qPrintable(text));
    }
};

QTEST_GUILESS_MAIN(TestAppSettings)
#include "test_app_settings.moc"
