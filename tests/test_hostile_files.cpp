// Regression tests of issue 18: every file a user opens is hostile until parsed. Each crash, hang or silent
// acceptance found by feeding malformed files to ssmlens-cli is reproduced here with the file that caused
// it, through the CLI as a user would run it: the result must be exit code 1 and one message that names the
// file and the problem (or, for the legal files among them, success), never a crash, a hang or a huge
// message. Unit-level tests of the parsers: test_io_files, test_io_torch_archive, test_checkpoint.
#include <QtTest/QtTest>

#include <sys/resource.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "AtenOperators.h"
#include <nlohmann/json.hpp>

#include "core/io/NpyFile.h"
#include "core/io/SafetensorsFile.h"
#include "core/model/Checkpoint.h"
#include "core/model/Mamba2Model.h"
#include "ModelTestSupport.h"
#include "TorchArchiveTestSupport.h"
#include "test_eval_support.h"

using namespace ssmlens;
namespace fs = std::filesystem;

namespace {

struct Outcome {
    int code = -1;
    bool crashed = false, timedOut = false;
    QString out, err;
};

// Runs ssmlens-cli; dataLimit > 0 caps the process's data segment (ulimit -d), as a smaller machine would.
Outcome cli(const QStringList& args, qint64 dataLimit = 0, int timeoutMs = 60000) {
    QProcess p;
    if (dataLimit > 0)
        p.setChildProcessModifier([dataLimit] {
            rlimit limit{rlim_t(dataLimit), rlim_t(dataLimit)};
            ::setrlimit(RLIMIT_DATA, &limit);
        });
    p.start(QString(SSMLENS_BIN_DIR) + "/ssmlens-cli", args);
    Outcome o;
    if (!p.waitForFinished(timeoutMs)) {
        o.timedOut = true;
        p.kill();
        p.waitForFinished();
    }
    o.code = p.exitCode();
    o.crashed = p.exitStatus() == QProcess::CrashExit;
    o.out = QString::fromUtf8(p.readAllStandardOutput());
    o.err = QString::fromUtf8(p.readAllStandardError());
    return o;
}

// Exit code 1, a message holding every `expected` phrase, short (no value pasted in), no crash, no hang.
#define EXPECT_REFUSED(outcome, ...)                                                                         \
    do {                                                                                                       \
        const Outcome& o_ = (outcome);                                                                         \
        QVERIFY2(!o_.timedOut, "timed out (hang)");                                                            \
        QVERIFY2(!o_.crashed && o_.code == 1, qPrintable(QString("exit %1: %2").arg(o_.code).arg(o_.err)));   \
        for (const QString& phrase : QStringList{__VA_ARGS__})                                                 \
            QVERIFY2(o_.err.contains(phrase), qPrintable("missing \"" + phrase + "\" in: " + o_.err));         \
        QVERIFY2(o_.err.size() < 1200, qPrintable(QString("message of %1 characters").arg(o_.err.size())));  \
        QVERIFY2(!o_.err.contains("[json.exception") && !o_.err.contains("stoll"), qPrintable(o_.err));     \
    } while (0)

void writeBytes(const fs::path& p, const std::string& bytes) { std::ofstream(p, std::ios::binary) << bytes; }

std::string safetensorsWithHeader(const std::string& header, const std::string& data) {
    std::string out;
    testing::putLe(out, header.size(), 8);
    return out + header + data;
}

}  // namespace

class TestHostileFiles : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    Mamba2Config config_ = testing::tinyConfig(2);
    Mamba2Weights weights_ = randomMamba2Weights(config_, 7);

    // A fresh copy of a valid Hugging Face checkpoint folder; tests then damage one file in it.
    QString folder(const char* name, SaveFormat format = SaveFormat::HuggingFaceSafetensors) {
        const QString dir = tmp_.filePath(name);
        saveCheckpoint(dir.toStdString(), config_, weights_, format);
        return dir;
    }
    fs::path in(const QString& dir, const char* file) { return fs::path(dir.toStdString()) / file; }
    std::string configText(const nlohmann::json& changes) {
        nlohmann::json j = config_.toHuggingFaceJson();
        j.update(changes);
        return j.dump();
    }

private slots:
    // --- Crashes and hangs -------------------------------------------------------------------------------
    void safetensorsOffsetsThatWrapAround() {
        const QString dir = folder("wrap");
        // The embedding, with the right shape, at offsets that are in order in the file but wrap around 2^64
        // once the header length is added: begin lands 3500 bytes below 2^64, end on a small number. The old
        // loader checked only the (wrapped) end against the file size and copied from 3500 bytes before the
        // mapping (segfault in `info` and `logits`).
        const uint64_t bytes = 37 * 24 * 4;
        auto header = [&](uint64_t dataStart) {
            const uint64_t begin = 0 - 3500 - dataStart;  // modulo 2^64
            return std::string(R"({"backbone.embeddings.weight": {"dtype": "F32", "shape": [37, 24], "data_offsets": [)") +
                   std::to_string(begin) + ", " + std::to_string(begin + bytes) + "]}}";
        };
        uint64_t dataStart = 8;
        for (int i = 0; i < 4; ++i) dataStart = 8 + header(dataStart).size();
        const std::string text = header(dataStart);
        QCOMPARE(8 + text.size(), dataStart);
        writeBytes(in(dir, "model.safetensors"), safetensorsWithHeader(text, std::string(bytes, '\0')));
        EXPECT_REFUSED(cli({"info", "--model", dir}), "model.safetensors", "backbone.embeddings.weight",
                       "runs past the end of the file");
        EXPECT_REFUSED(cli({"logits", "--model", dir, "--ids", "1,2", "--out", tmp_.filePath("x.npy")}),
                       "runs past the end of the file");
    }

    void torchBinViewsPastTheirStorage() {
        using testing::PickleWriter;
        const QString dir = folder("bin", SaveFormat::StateSpacesBin);
        auto archive = [](int64_t offset, std::vector<int64_t> sizes) {
            PickleWriter w;
            w.op('}').op('(').tensorItem("backbone.embedding.weight", "0", 4, offset, sizes, {sizes.size() > 1 ? sizes[1] : 1, 1});
            w.op('u').op('.');
            return testing::torchArchive(w.bytes, {{"0", testing::floatBytes({1, 2, 3, 4})}});
        };
        writeBytes(in(dir, "pytorch_model.bin"), archive(0, {37, 24}));  // 888 elements of a 4-element storage
        EXPECT_REFUSED(cli({"info", "--model", dir}), "pytorch_model.bin", "backbone.embedding.weight",
                       "reach past its storage");
        writeBytes(in(dir, "pytorch_model.bin"), archive(int64_t(1) << 60, {1, 1}));  // used to segfault in copy_
        EXPECT_REFUSED(cli({"info", "--model", dir}), "storage offset", "lies past its storage");
        // 4 bytes of pickle: REDUCE on an empty stack (crashed libtorch's unpickler).
        writeBytes(in(dir, "pytorch_model.bin"), testing::torchArchive(std::string("\x80\x02R.", 4), {}));
        EXPECT_REFUSED(cli({"info", "--model", dir}), "pytorch_model.bin", "empty stack");
        // And the pickles that were refused before still are, by name.
        writeBytes(in(dir, "pytorch_model.bin"),
                   testing::torchArchive(std::string("\x80\x02" "cposix\nsystem\n(X\x02\0\0\0lstR.", 27), {}));
        EXPECT_REFUSED(cli({"info", "--model", dir}), "calls posix.system", "refused");
    }

    void sentencepieceModelWithABrokenTrie() {
        // A real model (tests/fuzz/corpus) with its normalization trie's root sent outside the array: libsentencepiece
        // segfaulted on the first text it normalized.
        std::ifstream f(std::string(SSMLENS_SOURCE_DIR) +
                        "/tests/fuzz/corpus/fuzz_sentencepiece_model/unigram_custom_rules.model", std::ios::binary);
        std::string model{std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
        QVERIFY(model.size() > 100);
        // Find normalizer_spec (field 3) > precompiled_charsmap (field 2): tag 0x1A, then tag 0x12 inside.
        size_t at = 0;
        auto varint = [&](size_t& i) {
            uint64_t v = 0;
            for (int s = 0;; s += 7) {
                const uint8_t b = uint8_t(model[i++]);
                v |= uint64_t(b & 0x7F) << s;
                if (!(b & 0x80)) return v;
            }
        };
        size_t charsmap = 0;
        while (at < model.size() && !charsmap) {
            const uint64_t key = varint(at);
            const int type = int(key & 7);
            const uint64_t len = type == 2 ? varint(at) : 0;
            if (type == 0) varint(at);
            else if (type == 5) at += 4;
            else if (type == 1) at += 8;
            if (type == 2 && (key >> 3) == 3) {
                for (size_t i = at; i < at + len;) {
                    const uint64_t k = varint(i);
                    const uint64_t l = varint(i);
                    if ((k >> 3) == 2) charsmap = i;
                    i += l;
                }
            }
            if (type == 2) at += len;
        }
        QVERIFY2(charsmap > 0, "no precompiled_charsmap in the seed model");
        // blob: <trie size><units...>; unit 0's offset field (bits 10..30) -> far outside the trie.
        const size_t unit0 = charsmap + 4;
        const uint32_t bad = (0x1FFFFFu << 10) | (1u << 9);
        std::memcpy(model.data() + unit0, &bad, 4);
        const std::string path = tmp_.filePath("tokenizer.model").toStdString();
        writeBytes(path, model);
        EXPECT_REFUSED(cli({"tokenize", "--tokenizer", QString::fromStdString(path), "--text", "Ａbc ﬁne"}),
                       QString::fromStdString(path), "precompiled_charsmap is damaged");
        // Picked up automatically from a model folder, too.
        const QString dir = folder("sp");
        writeBytes(in(dir, "tokenizer.model"), model);
        EXPECT_REFUSED(cli({"generate", "--model", dir, "--text", "hello", "--max-new-tokens", "1"}),
                       "tokenizer.model", "precompiled_charsmap is damaged");
    }

    void npyHeaders() {
        const QString dir = folder("npy");
        // A legal header of 60 KB (long padding): std::regex overflowed the stack on it. It reads now.
        std::string header = "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }";
        header += std::string(60000 - header.size() - 11, ' ') + "\n";
        std::string npy = std::string("\x93NUMPY\x02\x00", 8);
        testing::putLe(npy, header.size(), 4);
        npy += header;
        for (int64_t id : {3, 1, 4}) testing::putLe(npy, uint64_t(id), 8);
        writeBytes(tmp_.filePath("long-header.npy").toStdString(), npy);
        const Outcome ok = cli({"logits", "--model", dir, "--ids", tmp_.filePath("long-header.npy"), "--out",
                                tmp_.filePath("l.npy")});
        QVERIFY2(ok.code == 0, qPrintable(ok.err));
        QCOMPARE(readNpy(tmp_.filePath("l.npy").toStdString()).size(0), int64_t(3));
        // A header length of 4 GiB in a 20-byte file: allocated 4 GB before noticing.
        std::string huge = std::string("\x93NUMPY\x02\x00\xff\xff\xff\xff", 12) + "{'descr'";
        writeBytes(tmp_.filePath("huge-header.npy").toStdString(), huge);
        EXPECT_REFUSED(cli({"logits", "--model", dir, "--ids", tmp_.filePath("huge-header.npy"), "--out",
                            tmp_.filePath("l.npy")}),
                       "huge-header.npy", "truncated .npy header");
        // A shape that is not numbers said so, not "stoll".
        std::string bad = "{'descr': '<i8', 'fortran_order': False, 'shape': ('a',), }\n";
        std::string badNpy = std::string("\x93NUMPY\x01\x00", 8);
        testing::putLe(badNpy, bad.size(), 2);
        writeBytes(tmp_.filePath("bad-shape.npy").toStdString(), badNpy + bad);
        EXPECT_REFUSED(cli({"logits", "--model", dir, "--ids", tmp_.filePath("bad-shape.npy"), "--out",
                            tmp_.filePath("l.npy")}),
                       "bad-shape.npy", "bad .npy header", "non-negative integers");
    }

    void deeplyNestedJson() {
        const QString dir = folder("deep");
        const std::string deep = std::string(100000, '[') + std::string(100000, ']');
        writeBytes(in(dir, "config.json"), R"({"model_type": "mamba2", "hidden_size": )" + deep + "}");
        EXPECT_REFUSED(cli({"info", "--model", dir}), "config.json", "nested deeper than 128 levels");
        writeBytes(tmp_.filePath("deep-tokenizer.json").toStdString(), R"({"model": {"type": "BPE"}, "pre_tokenizer": )" + deep + "}");
        EXPECT_REFUSED(cli({"tokenize", "--tokenizer", tmp_.filePath("deep-tokenizer.json"), "--text", "x"}),
                       "deep-tokenizer.json", "nested deeper");
    }

    void numericOptions() {
        const QString dir = folder("opts");
        writeNpy(tmp_.filePath("stream.npy").toStdString(), at::arange(40, at::kLong).remainder(37));
        EXPECT_REFUSED(cli({"perplexity", "--model", dir, "--data", tmp_.filePath("stream.npy"), "--seq-len", "0"}),
                       "--seq-len expects a whole number from 1");
        EXPECT_REFUSED(cli({"bench", "--size", "130m", "--repeats", "0"}), "--repeats expects a whole number from 1");
        EXPECT_REFUSED(cli({"eval", "--model", dir, "--task", "piqa", "--data", tmp_.path(), "--max-length", "0"}),
                       "--max-length expects a whole number from 1");
        EXPECT_REFUSED(cli({"generate", "--model", dir, "--ids", "1", "--temperature", "-1"}),
                       "--temperature expects a number above 0");
        EXPECT_REFUSED(cli({"reduce", "--model", dir, "--ids", "1,2,3", "--keep-ratio", "nan"}), "--keep-ratio");
        EXPECT_REFUSED(cli({"bench", "--lengths", "512,x"}), "--lengths expects a whole number", "\"x\"");
        // Sharded runs and the attention command take their numbers through the same rules.
        EXPECT_REFUSED(cli({"eval", "--model", dir, "--task", "piqa", "--data", tmp_.path(), "--devices", "cpu,cpu",
                            "--shard-retries", "-1"}),
                       "--shard-retries expects a whole number from 0 to 100");
        EXPECT_REFUSED(cli({"eval", "--model", dir, "--task", "piqa", "--data", tmp_.path(), "--slurm", "--shards", "4",
                            "--slurm-poll", "0"}),
                       "--slurm-poll expects a number above 0");
        EXPECT_REFUSED(cli({"attention", "--model", dir, "--ids", "1,2,3", "--head", "-2"}),
                       "--head expects a whole number from 0");
        // Named choices (the findings work's --methods and --scoring) are checked when the arguments are read.
        EXPECT_REFUSED(cli({"sweep", "--model", dir, "--tasks", "piqa", "--data-dir", tmp_.path(), "--methods", "utr,utrr"}),
                       "--methods expects one or more of", "\"utrr\"");
        EXPECT_REFUSED(cli({"sweep", "--model", dir, "--tasks", "piqa", "--data-dir", tmp_.path(), "--scoring", "correct,"
                            "papr"}),
                       "--scoring expects one or more of correct, paper", "\"papr\"");
        EXPECT_REFUSED(cli({"reduce", "--model", dir, "--ids", "1,2,3", "--method", ""}), "--method expects one of");
    }

    // merge-results reads files other machines wrote (shards' results, sweep details): the JSON rules hold.
    void mergedResultFiles() {
        const std::string deep = std::string(100000, '[') + std::string(100000, ']');
        writeBytes(tmp_.filePath("shard-0.json").toStdString(),
                   R"({"format": "ssmlens-sweep-details", "version": )" + deep + "}");
        EXPECT_REFUSED(cli({"merge-results", tmp_.filePath("shard-0.json")}), "shard-0.json", "nested deeper");
        writeBytes(tmp_.filePath("shard-1.json").toStdString(),
                   "{\"format\": \"ssmlens-sweep-details\", \"version\": \"" + std::string(100000, 'x') + "\"}");
        EXPECT_REFUSED(cli({"merge-results", tmp_.filePath("shard-1.json"), tmp_.filePath("shard-1.json")}),
                       "shard-1.json");
        ::mkfifo(tmp_.filePath("shard-fifo.json").toLocal8Bit().constData(), 0600);
        EXPECT_REFUSED(cli({"merge-results", tmp_.filePath("shard-fifo.json")}, 0, 20000), "shard-fifo.json", "FIFO");
    }

    // The tuner (ssmlens-cli tune): every numeric and named option under CliArgs' rules, checked before the
    // model loads; the search state it resumes from and the text it calibrates on are files from outside.
    void tuneInputs() {
        const QString dir = folder("tune");
        const QStringList base = {"tune", "--model", dir, "--calibration", "random:4x24", "--out", tmp_.filePath("t/s.json"),
                                  "--max-evals", "2", "--quiet"};
        EXPECT_REFUSED(cli(base + QStringList{"--target-flops-reduction", "0"}), "--target-flops-reduction expects a number above 0");
        EXPECT_REFUSED(cli(base + QStringList{"--target-flops-reduction", "20", "--round-size", "0"}),
                       "--round-size expects a whole number from 1");
        EXPECT_REFUSED(cli(base + QStringList{"--target-flops-reduction", "20", "--min-keep-ratio", "1.5"}),
                       "--min-keep-ratio expects a number above 0, at most 1");
        EXPECT_REFUSED(cli(base + QStringList{"--target-flops-reduction", "20", "--preset-ratios", "0.5,x"}),
                       "--preset-ratios expects a number", "\"x\"");
        EXPECT_REFUSED(cli(base + QStringList{"--target-flops-reduction", "20", "--heldout-limit", "-2"}),
                       "--heldout-limit expects a whole number from -1");
        EXPECT_REFUSED(cli(base + QStringList{"--target-flops-reduction", "20", "--prefix-cache-mb", "99999999999"}),
                       "--prefix-cache-mb expects a whole number from 0 to 16777216");
        EXPECT_REFUSED(cli(base + QStringList{"--target-flops-reduction", "20", "--text-window", "0"}), "--text-window");
        EXPECT_REFUSED(cli(base + QStringList{"--target-flops-reduction", "20", "--search", "genetic"}),
                       "--search expects one of evolution, random", "\"genetic\"");
        EXPECT_REFUSED(cli(base + QStringList{"--target-flops-reduction", "20", "--metric", "l3"}),
                       "--metric expects one of clip, raw, l2");
        // A state to resume that is a FIFO or nests without end, and a calibration text that is a FIFO.
        QCOMPARE(::mkfifo(tmp_.filePath("state-fifo.json").toLocal8Bit().constData(), 0600), 0);
        EXPECT_REFUSED(cli(base + QStringList{"--target-flops-reduction", "20", "--resume", "--state",
                                              tmp_.filePath("state-fifo.json")}, 0, 30000),
                       "state-fifo.json", "FIFO");
        writeBytes(tmp_.filePath("state-deep.json").toStdString(),
                   R"({"format": "ssmlens-tune-state", "version": )" + std::string(100000, '[') + std::string(100000, ']') + "}");
        EXPECT_REFUSED(cli(base + QStringList{"--target-flops-reduction", "20", "--resume", "--state",
                                              tmp_.filePath("state-deep.json")}),
                       "state-deep.json", "nested deeper");
        QCOMPARE(::mkfifo(tmp_.filePath("calibration-fifo.txt").toLocal8Bit().constData(), 0600), 0);
        QStringList fifoText = base;
        fifoText[4] = "text:" + tmp_.filePath("calibration-fifo.txt");
        writeBytes(tmp_.filePath("tune-tokenizer.json").toStdString(), testing::tinyEvalTokenizerJson());
        EXPECT_REFUSED(cli(fifoText + QStringList{"--target-flops-reduction", "20", "--tokenizer",
                                                  tmp_.filePath("tune-tokenizer.json")}, 0, 30000),
                       "calibration-fifo.txt", "FIFO");
    }

    void fifosNeverBlock() {
        const QString dir = folder("fifo");
        fs::remove(in(dir, "model.safetensors"));
        QCOMPARE(::mkfifo(in(dir, "model.safetensors").c_str(), 0600), 0);
        EXPECT_REFUSED(cli({"info", "--model", dir}, 0, 30000), "model.safetensors", "FIFO");
        // ... nor in a shard index.
        const QString sharded = folder("fifo-shards");
        fs::rename(in(sharded, "model.safetensors"), in(sharded, "part-1.safetensors"));
        QCOMPARE(::mkfifo(in(sharded, "part-2.safetensors").c_str(), 0600), 0);
        writeBytes(in(sharded, "model.safetensors.index.json"),
                   R"({"weight_map": {"backbone.embeddings.weight": "part-1.safetensors", "lm_head.weight": "part-2.safetensors"}})");
        EXPECT_REFUSED(cli({"info", "--model", sharded}, 0, 30000), "part-2.safetensors", "FIFO");
        QCOMPARE(::mkfifo(tmp_.filePath("tokenizer-fifo.json").toLocal8Bit().constData(), 0600), 0);
        EXPECT_REFUSED(cli({"tokenize", "--tokenizer", tmp_.filePath("tokenizer-fifo.json"), "--text", "x"}, 0, 30000), "FIFO");
    }

    void promptsBeyondMemoryAreRefusedBeforeAllocating() {
#ifdef SSMLENS_SANITIZED
        QSKIP("under AddressSanitizer the CLI reserves terabytes of shadow memory, so ulimit -d cannot model a small machine");
#endif
        const QString dir = folder("memory");
        // 100,000 tokens through token reduction: the [L/2, L/2] similarity alone is 20 GB. Under a 3 GB limit
        // the CLI must say so at once instead of growing until the kernel kills it.
        writeNpy(tmp_.filePath("long.npy").toStdString(), at::zeros({100000}, at::kLong));
        QElapsedTimer timer;
        timer.start();
        EXPECT_REFUSED(cli({"reduce", "--model", dir, "--ids", tmp_.filePath("long.npy")}, qint64(3) << 30),
                       "100000 tokens", "token similarities", "free on cpu", "shorter prompt");
        QVERIFY2(timer.elapsed() < 30000, "refused only after running");
        // 2 million tokens through `logits` (about 8 GB, mostly activations: the test model is narrow).
        writeNpy(tmp_.filePath("longer.npy").toStdString(), at::zeros({2000000}, at::kLong));
        EXPECT_REFUSED(cli({"logits", "--model", dir, "--ids", tmp_.filePath("longer.npy"), "--out",
                            tmp_.filePath("l.npy")},
                           qint64(3) << 30),
                       "2000000 tokens", "free on cpu", "last position's logits only");
        QVERIFY(!fs::exists(tmp_.filePath("l.npy").toStdString()) || readNpy(tmp_.filePath("l.npy").toStdString()).size(0) != 2000000);
    }

    void sizesBeyondAnyModelAreRefused() {
        EXPECT_REFUSED(cli({"schedule", "--layers", "1000000000000"}), "--layers expects a whole number from 1 to 4096");
        const QString dir = folder("layers");
        writeBytes(in(dir, "config.json"), configText({{"num_hidden_layers", 100000000000LL}}));
        EXPECT_REFUSED(cli({"schedule", "--model", dir}), "config.json", "n_layer = 100000000000 is beyond");
        // A legal but enormous shape: random-model (and train) refuse before allocating the weights (not under
        // ASan, whose shadow memory no ulimit -d leaves room for).
#ifndef SSMLENS_SANITIZED
        writeBytes(in(dir, "config.json"), configText({{"hidden_size", 32768}, {"num_hidden_layers", 4000}, {"num_heads", 8192}}));
        EXPECT_REFUSED(cli({"random-model", "--config", QString::fromStdString(in(dir, "config.json").string()), "--out",
                            tmp_.filePath("huge")},
                           qint64(3) << 30),
                       "config.json", "parameters need about", "free on cpu");
#endif
        nlohmann::json tok = nlohmann::json::parse(std::ifstream(std::string(SSMLENS_SOURCE_DIR) +
                                                                 "/tests/fuzz/corpus/fuzz_tokenizer_json/tiny_byte_level_bpe.json"));
        tok["added_tokens"][0]["id"] = 1 << 24;  // allocated a 1.9 GB table for a 262-token vocabulary
        writeBytes(tmp_.filePath("big-id.json").toStdString(), tok.dump());
        EXPECT_REFUSED(cli({"tokenize", "--tokenizer", tmp_.filePath("big-id.json"), "--text", "x"}), "big-id.json",
                       "token id 16777216 is far beyond");
    }

    // --- Accepted, but must not be --------------------------------------------------------------------------
    void shardsOutsideTheModelFolder() {
        const QString dir = folder("escape");
        const QString other = folder("other");
        writeBytes(tmp_.filePath("secret.safetensors").toStdString(), "root:x:0:0:secret");
        for (const char* shard : {"../other/model.safetensors", "/etc/passwd", "sub/../../secret.safetensors"}) {
            writeBytes(in(dir, "model.safetensors.index.json"),
                       std::string(R"({"weight_map": {"backbone.embeddings.weight": ")") + shard + "\"}}");
            const Outcome o = cli({"info", "--model", dir});
            EXPECT_REFUSED(o, "model.safetensors.index.json", "not a file name inside the model folder");
            QVERIFY(!o.err.contains("root:"));
        }
        fs::create_symlink(tmp_.filePath("secret.safetensors").toStdString(), in(dir, "linked.safetensors"));
        writeBytes(in(dir, "model.safetensors.index.json"),
                   R"({"weight_map": {"backbone.embeddings.weight": "linked.safetensors"}})");
        const Outcome o = cli({"info", "--model", dir});
        EXPECT_REFUSED(o, "linked.safetensors", "leads outside the model folder");
        QVERIFY(!o.err.contains("root:"));
        (void)other;
    }

    void nonFiniteWeightsAreNamed() {
        Mamba2Weights w = randomMamba2Weights(config_, 7);
        w.layers[1].inProj[3][5] = std::numeric_limits<float>::quiet_NaN();
        w.layers[2].outProj[0][0] = std::numeric_limits<float>::infinity();
        const QString dir = tmp_.filePath("nan");
        saveCheckpoint(dir.toStdString(), config_, w, SaveFormat::HuggingFaceSafetensors);
        const Outcome info = cli({"info", "--model", dir});
        QVERIFY2(info.code == 0, qPrintable(info.err));
        QVERIFY2(info.err.contains("warning: ") && info.err.contains("backbone.layers.1.mixer.in_proj.weight holds 1 NaN value") &&
                     info.err.contains("backbone.layers.2.mixer.out_proj.weight holds 1 infinite value"),
                 qPrintable(info.err));
        EXPECT_REFUSED(cli({"generate", "--model", dir, "--ids", "1,2", "--max-new-tokens", "3"}), "not finite");
    }

    void damagedSafetensorsLayouts() {
        const QString dir = folder("layout");
        std::string eight(8, '\0');
        writeBytes(in(dir, "model.safetensors"),
                   safetensorsWithHeader(R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                                             "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}})",
                                         eight + "1234"));
        EXPECT_REFUSED(cli({"info", "--model", dir}), "model.safetensors", "\"a\" and \"b\" overlap");
        writeBytes(in(dir, "model.safetensors"),
                   safetensorsWithHeader(R"({"a": {"dtype": "F32", "shape": [2.5], "data_offsets": [0, 8]}})", eight));
        EXPECT_REFUSED(cli({"info", "--model", dir}), "not a non-negative integer");
        // Unknown extra tensors load, with a warning naming them.
        auto sd = toStateDict(weights_, TensorNaming::HuggingFace);
        sd["vision_tower.patch_embed.weight"] = at::zeros({2, 2});
        writeSafetensors(in(dir, "model.safetensors").string(), sd);
        const Outcome o = cli({"info", "--model", dir});
        QVERIFY2(o.code == 0 && o.err.contains("1 tensor is not part of a Mamba-2 model and was ignored: "
                                               "vision_tower.patch_embed.weight"),
                 qPrintable(o.err));
    }

    void configFieldsOfTheWrongKind() {
        const QString dir = folder("fields");
        writeBytes(in(dir, "config.json"), configText({{"hidden_size", 64.9}}));
        EXPECT_REFUSED(cli({"info", "--model", dir}), "config.json", "field \"hidden_size\" should be an integer",
                       "a decimal number (64.9)");
        writeBytes(in(dir, "config.json"), configText({{"layer_norm_epsilon", -1e-5}}));
        EXPECT_REFUSED(cli({"info", "--model", dir}), "config.json", "layer_norm_epsilon) must be in (0, 1)");
        writeBytes(in(dir, "config.json"), configText({{"hidden_size", "abc"}}));
        EXPECT_REFUSED(cli({"info", "--model", dir}), "config.json", "should be an integer, found a string");
        writeBytes(in(dir, "config.json"), configText({{"model_type", std::string(100000, 'x')}}));
        EXPECT_REFUSED(cli({"info", "--model", dir}), "config.json", "model_type is");
        writeBytes(in(dir, "model.safetensors.index.json"), R"({"weight_map": {"backbone.embeddings.weight": 5}})");
        writeBytes(in(dir, "config.json"), configText(nlohmann::json::object()));
        EXPECT_REFUSED(cli({"info", "--model", dir}), "model.safetensors.index.json", "is an integer, not a shard file name");
    }

    void scheduleMessages() {
        nlohmann::json s = {{"format", "ssmlens-reduction-schedule"}, {"version", 1}, {"method", "utr"},
                            {"anchors", {{{"layer", -3}, {"keep_ratio", 0.9}}}}};
        writeBytes(tmp_.filePath("negative.json").toStdString(), s.dump());
        EXPECT_REFUSED(cli({"schedule", "--layers", "24", "--schedule", tmp_.filePath("negative.json")}),
                       "negative.json", "anchor layer -3 is negative");
        s["anchors"] = {{{"layer", 2.5}, {"keep_ratio", 0.9}}};
        writeBytes(tmp_.filePath("fraction.json").toStdString(), s.dump());
        EXPECT_REFUSED(cli({"schedule", "--layers", "24", "--schedule", tmp_.filePath("fraction.json")}),
                       "fraction.json", "is not {\"layer\": an integer");
        s["method"] = std::string(100000, 'm');
        writeBytes(tmp_.filePath("long-method.json").toStdString(), s.dump());
        EXPECT_REFUSED(cli({"schedule", "--layers", "24", "--schedule", tmp_.filePath("long-method.json")}),
                       "long-method.json", "unknown reduction method");
    }
};

QTEST_GUILESS_MAIN(TestHostileFiles)
#include "test_hostile_files.moc"
