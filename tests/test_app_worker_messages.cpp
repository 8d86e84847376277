// The window's side of the worker: the message structs and every GUI header stay free of libtorch (only
// ReductionWorker.cpp sees the engine), and the structs travel through queued connections.
#include <QtTest/QtTest>

#include "app/gui/AccuracyPanel.h"
#include "app/gui/Autosaver.h"
#include "app/gui/MainWindow.h"
#include "app/gui/ModelPanel.h"
#include "app/gui/ReductionWorker.h"
#include "app/gui/SessionFile.h"
#include "app/gui/WorkerMessages.h"

// Every ATen and c10 header includes c10/macros/Macros.h, which defines this guard.
#ifdef C10_MACROS_MACROS_H_
#error "a GUI header pulls in libtorch: keep the engine's types behind ReductionWorker.cpp (WorkerMessages.h)"
#endif

using namespace ssmlens;

class TestWorkerMessages : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void structsCrossThreads() {
        qRegisterMetaType<QSharedPointer<const ssmlens::ReductionResponse>>();
        qRegisterMetaType<QSharedPointer<const ssmlens::ContinuationResult>>();
        QThread thread;
        auto* worker = new ReductionWorker;
        worker->moveToThread(&thread);
        connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
        thread.start();
        // Received through a queued connection into this thread: a QSignalSpy on the worker would record in the
        // worker's thread, and its wait() waits for a *further* emission, so a failure emitted before wait() starts
        // (the worker is quick, the test thread preempted on a loaded machine) was missed: a 60 s timeout in CI.
        QObject receiver;
        QList<QPair<quint64, QString>> failed;
        connect(worker, &ReductionWorker::failed, &receiver,
                [&failed](quint64 id, const QString& message) { failed.append({id, message}); }, Qt::QueuedConnection);
        ReductionRequest r;
        r.id = 7;
        r.prompt = "anything";
        QMetaObject::invokeMethod(worker, [worker, r] { worker->run(r); }, Qt::QueuedConnection);
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 60000);
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.at(0).first, quint64(7));
        QCOMPARE(failed.at(0).second, QString("No model is loaded."));
        thread.quit();
        thread.wait();
    }
};

QTEST_GUILESS_MAIN(TestWorkerMessages)
#include "test_app_worker_messages.moc"
