// pytorch_model.bin read by our own zip and pickle readers (core/io/ZipArchive, TorchPickle,
// TorchStateDictFile): what libtorch and Python's torch.save write reads back exactly (views, bf16, zip64),
// and every damaged or hostile archive is an error naming the file and the tensor, never a crash or a read
// outside the file.
#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>

#include "AtenOperators.h"

#include "core/Error.h"
#include "core/io/TorchPickle.h"
#include "core/io/TorchStateDictFile.h"
#include "core/io/ZipArchive.h"
#include "TorchArchiveTestSupport.h"

using namespace ssmlens;
using namespace ssmlens::testing;
namespace fs = std::filesystem;

namespace {

std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

// {"w": tensor} with the given view of a FloatStorage of `numel` elements holding 0, 1, 2, ...
std::string oneTensorArchive(int64_t numel, int64_t offset, std::vector<int64_t> sizes, std::vector<int64_t> strides,
                             int64_t recordFloats = -1, bool zip64 = false) {
    PickleWriter w;
    w.op('}').op('(').tensorItem("w", "0", numel, offset, sizes, strides).op('u').op('.');
    std::vector<float> data(size_t(recordFloats < 0 ? numel : recordFloats));
    for (size_t i = 0; i < data.size(); ++i) data[i] = float(i);
    return torchArchive(w.bytes, {{"0", floatBytes(data)}}, zip64);
}

std::string pickleError(const std::string& pickle) {
    return errorOf([&] {
        readTorchStateDictPickle(reinterpret_cast<const unsigned char*>(pickle.data()), pickle.size(), "data.pkl");
    });
}

}  // namespace

class TestIoTorchArchive : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

    std::string write(const char* name, const std::string& bytes) {
        const std::string p = (fs::path(tmp_.path().toStdString()) / name).string();
        std::ofstream(p, std::ios::binary) << bytes;
        return p;
    }

private slots:
    void libtorchArchivesReadBack() {
        std::map<std::string, at::Tensor> in = {{"f32", at::randn({3, 4})},
                                                {"bf16", at::randn({5}).to(at::kBFloat16)},
                                                {"f16", at::randn({2, 2}).to(at::kHalf)},
                                                {"i64", at::arange(7, at::kLong)},
                                                {"flag", at::ones({2}, at::kBool)},
                                                {"empty", at::empty({0, 3})}};
        const std::string p = (fs::path(tmp_.path().toStdString()) / "lib.bin").string();
        writeTorchStateDict(p, in);
        const auto out = readTorchStateDict(p);
        QCOMPARE(out.size(), in.size());
        for (const auto& [name, t] : in) {
            QVERIFY2(out.count(name), name.c_str());
            QCOMPARE(out.at(name).scalar_type(), t.scalar_type());
            QVERIFY2(at::equal(out.at(name), t), name.c_str());
        }
    }

    // Written by tools/fuzz/make_seed_corpora.py exactly as Python's torch.save pickles a state dict: an
    // OrderedDict with _metadata (BUILD), views sharing a storage (a transpose, an offset), bf16, a 0-d tensor.
    void pythonTorchSaveLayoutReads() {
        const auto t = readTorchStateDict(std::string(SSMLENS_SOURCE_DIR) + "/tests/data/torch_save_ordereddict.bin");
        QCOMPARE(t.size(), size_t(5));
        const at::Tensor w = at::tensor({0.5f, -1.25f, 2.0f, 3.5f, -0.75f, 8.0f}).view({2, 3});
        QVERIFY(at::equal(t.at("layer.weight"), w));
        QVERIFY(at::equal(t.at("layer.weight_t"), w.view({6}).as_strided({3, 2}, {1, 3})));
        QVERIFY(at::equal(t.at("layer.tail"), at::tensor({-0.75f, 8.0f})));
        QCOMPARE(t.at("norm.weight").scalar_type(), at::kBFloat16);
        QVERIFY(at::equal(t.at("norm.weight").to(at::kFloat), at::tensor({1.0f, -2.0f, 3.0f})));
        QCOMPARE(t.at("num_batches_tracked").dim(), int64_t(0));
        QCOMPARE(t.at("num_batches_tracked").item<int64_t>(), int64_t(7));
    }

    void zip64RecordsRead() {
        // The records miniz writes above 4 GiB (sizes and offsets in zip64 extra fields, zip64 end records).
        const auto t = readTorchStateDict(write("z64.bin", oneTensorArchive(6, 1, {2, 2}, {2, 1}, -1, true)));
        QVERIFY(at::equal(t.at("w"), at::tensor({1.0f, 2.0f, 3.0f, 4.0f}).view({2, 2})));
    }

    void viewsReachingPastTheirStorageAreRefused_data() {
        QTest::addColumn<QByteArray>("archive");
        QTest::addColumn<QString>("expected");
        auto row = [](const char* name, const std::string& bytes, const char* expected) {
            QTest::newRow(name) << QByteArray::fromStdString(bytes) << QString(expected);
        };
        row("sizes past the storage", oneTensorArchive(4, 0, {3, 3}, {3, 1}), "reach past its storage");
        row("offset plus extent", oneTensorArchive(4, 2, {3}, {1}), "reach past its storage");
        row("huge storage offset", oneTensorArchive(4, int64_t(1) << 62, {1}, {1}), "storage offset");
        row("huge stride", oneTensorArchive(4, 0, {2}, {int64_t(1) << 62}), "reach past its storage");
        row("overflowing stride product", oneTensorArchive(4, 0, {int64_t(1) << 40, 2}, {int64_t(1) << 40, 1}),
            "reach past its storage");
        row("storage larger than its record", oneTensorArchive(1000, 0, {4}, {1}, 4), "record holds 16 bytes");
    }
    void viewsReachingPastTheirStorageAreRefused() {
        QFETCH(QByteArray, archive);
        QFETCH(QString, expected);
        const std::string p = write("view.bin", archive.toStdString());
        const std::string e = errorOf([&] { readTorchStateDict(p); });
        QVERIFY2(e.find(p + ": tensor \"w\"") == 0 && e.find(expected.toStdString()) != std::string::npos, e.c_str());
        // An empty view reads nothing, wherever it points.
        QVERIFY(readTorchStateDict(write("empty.bin", oneTensorArchive(4, 4, {0, 5}, {1, 1}))).at("w").numel() == 0);
    }

    void hostilePicklesAreRefused_data() {
        QTest::addColumn<QByteArray>("pickle");
        QTest::addColumn<QString>("expected");
        auto row = [](const char* name, const std::string& bytes, const char* expected) {
            QTest::newRow(name) << QByteArray::fromStdString(bytes) << QString(expected);
        };
        row("REDUCE on an empty stack", std::string("\x80\x02R.", 4), "empty stack");
        row("no STOP", std::string("\x80\x02}", 3), "without STOP");
        row("os.system", std::string("\x80\x02" "cos\nsystem\n(X\x02\0\0\0lstR.", 24), "calls os.system");
        row("builtins.eval", std::string("\x80\x02") + "\x8c\x08" + "builtins" + "\x8c\x04" + "eval\x93)R.",
            "calls builtins.eval");
        row("memo never stored", std::string("\x80\x02h\x05.", 5), "never stored");
        row("string past the end", std::string("\x80\x02X\xff\xff\xff\x7f", 7), "ends inside");
        row("SETITEMS without a dict", std::string("\x80\x02](K\x01K\x02u.", 10), "SETITEMS applied to a list");
        row("a list inside itself", std::string("\x80\x02]q\x00h\x00" "a.", 9), "puts a value inside itself");
        row("unknown opcode", std::string("\x80\x02I1\n.", 6), "opcode 0x49");
        std::string deep("\x80\x02", 2);
        for (int i = 0; i < 200000; ++i) deep += "]";
        for (int i = 0; i < 199999; ++i) deep += "a";
        row("a million nested lists", deep + ".", "nested deeper than 64");
        row("not a dict", std::string("\x80\x02K\x05.", 5), "holds an integer, not a state dict");
        row("a list changed after use",
            std::string("\x80\x02]q\x00]h\x00" "a" "h\x00" "K\x01" "a.", 15), "changes a value after using it");
        PickleWriter badStorage;
        badStorage.op('}').op('(').tensorItem("w", "../../etc/passwd", 4, 0, {4}, {1}).op('u').op('.');
        row("storage key with a path", badStorage.bytes, "not a plain record name");
        PickleWriter unknownType;
        unknownType.op('}').op('(').tensorItem("w", "0", 4, 0, {4}, {1}, "QInt8Storage").op('u').op('.');
        row("unsupported storage type", unknownType.bytes, "torch.QInt8Storage is not supported");
    }
    void hostilePicklesAreRefused() {
        QFETCH(QByteArray, pickle);
        QFETCH(QString, expected);
        const std::string e = pickleError(pickle.toStdString());
        QVERIFY2(e.rfind("data.pkl: ", 0) == 0 && e.find(expected.toStdString()) != std::string::npos, e.c_str());
    }

    void damagedArchivesAreRefused() {
        const std::string good = oneTensorArchive(4, 0, {4}, {1});
        auto err = [&](const char* name, const std::string& bytes) {
            const std::string p = write(name, bytes);
            const std::string e = errorOf([&] { readTorchStateDict(p); });
            return e.rfind(p + ": ", 0) == 0 ? e.substr(p.size() + 2) : "(unnamed) " + e;
        };
        QVERIFY(err("trunc.bin", good.substr(0, good.size() - 30)).find("no end-of-directory") != std::string::npos);
        QVERIFY(err("cut.bin", good.substr(0, 200) + good.substr(good.size() - 400)).find("zip") != std::string::npos);
        QVERIFY(err("tiny.bin", "PK\x03\x04").find("not a zip archive") != std::string::npos);
        QVERIFY(err("legacy.bin", std::string("\x80\x02}q\x00.", 6)).find("legacy pre-1.6") != std::string::npos);
        std::string compressed = good;
        compressed[8] = 8;  // method: deflate, in the local header ...
        const size_t central = compressed.find("PK\x01\x02");
        compressed[central + 10] = 8;  // ... and in the directory
        QVERIFY(err("deflate.bin", compressed).find("compressed (method 8)") != std::string::npos);
        std::string crc = good;
        crc[crc.find("}(X") + 5] ^= 0x20;  // one bit of data.pkl
        QVERIFY(err("crc.bin", crc).find("CRC-32") != std::string::npos);
        QVERIFY(err("nopkl.bin", storedZip({{"archive/other", "x"}})).find("no data.pkl") != std::string::npos);
        PickleWriter missing;
        missing.op('}').op('(').tensorItem("w", "7", 4, 0, {4}, {1}).op('u').op('.');
        QVERIFY(err("missing.bin", torchArchive(missing.bytes, {{"0", floatBytes({1, 2, 3, 4})}}))
                    .find("data/7 is missing") != std::string::npos);
        QVERIFY(err("bigendian.bin", storedZip({{"a/data.pkl", "}."}, {"a/byteorder", "big"}})).find("big-endian") !=
                std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestIoTorchArchive)
#include "test_io_torch_archive.moc"
