#include "app/gui/AppCommandLine.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QRegularExpression>
#include <cmath>
#include <exception>

#include "widgets/ScheduleRatioControl.h"  // the smallest keep ratio the editor holds

namespace ssmlens {
namespace {


const char* kModel = "model";
const char* kTokenizer = "tokenizer";
const char* kPrompt = "prompt";
const char* kKeep = "keep-ratio";
const char* kMethod = "method";
const char* kSchedule = "schedule";
const char* kExport = "export";
const char* kSize = "size";
const char* kDpi = "dpi";
const char* kFont = "font-size";
const char* kLayer = "layer";
const char* kToken = "token";
const char* kScreenshot = "screenshot";
const char* kWindowSize = "window-size";
const char* kExportHeatmap = "export-heatmap";  // the older spelling of --export heatmap=FILE
const char* kAccuracy = "run-accuracy";
const char* kLatency = "benchmark-latency";
const char* kLanguage = "language";
const char* kAttentionLatency = "benchmark-attention";
const char* kShowAttention = "show-attention";

std::optional<QSize> parseSize(const QString& text) {
    static const QRegularExpression pattern("^\\s*(\\d+)\\s*[xX×]\\s*(\\d+)\\s*$");
    const QRegularExpressionMatch m = pattern.match(text);
    if (!m.hasMatch()) return std::nullopt;
    return QSize(m.captured(1).toInt(), m.captured(2).toInt());
}

}  // namespace

AppCommandLine::AppCommandLine() {
    parser_.setApplicationDescription(AppCommandLine::tr("SSM Lens: see what token reduction does inside a Mamba-2 model"));
    parser_.addHelpOption();
    parser_.addVersionOption();
    parser_.addOptions({
        {kModel, AppCommandLine::tr("Checkpoint folder to open (default: the bundled demo model)"), "dir"},
        {kTokenizer, AppCommandLine::tr("Tokenizer file for a checkpoint that has none (tokenizer.json or a .model)"), "file"},
        {kPrompt, AppCommandLine::tr("Prompt to start with (default: a sample prompt)"), "text"},
        {kKeep, AppCommandLine::tr("Keep ratio q at every anchor, a number from %1 to 1").arg(ScheduleRatioControl::kSmallestRatio), "q"},
        {kMethod, AppCommandLine::tr("Reduction method to start with (as ssmlens-cli --method)"), "name"},
        {kSchedule, AppCommandLine::tr("Reduction schedule to start with (JSON, as saved by the window or ssmlens-cli schedule)"), "file"},
        {kExport, AppCommandLine::tr("Export a view and quit, without a display; repeatable. VIEW: heatmap, strip, graph, "
                     "tokens-per-layer, attention, importance-vs-attention, attribution, accuracy, accuracy-vs-flops. "
                     "Format from FILE's extension: .png, .pdf, .svg"),
         "view=file"},
        {kSize, AppCommandLine::tr("Size of exported figures in pixels (default 1600x1000)"), "wxh"},
        {kDpi, AppCommandLine::tr("Resolution of exported figures: their size on paper is pixels / dpi inches (default 96)"), "dpi"},
        {kFont, AppCommandLine::tr("Text size of exported figures in points (default 9)"), "pt"},
        {kLayer, AppCommandLine::tr("Layer every view shows after the first result (default: the first anchor)"), "n"},
        {kToken, AppCommandLine::tr("Token selected in the exported views (default: none)"), "n"},
        {kScreenshot, AppCommandLine::tr("Save a screenshot of the window after the first result, then quit"), "png"},
        {kWindowSize, AppCommandLine::tr("Window size for the screenshot"), "wxh"},
        {kExportHeatmap, AppCommandLine::tr("Same as --export heatmap=FILE"), "file"},
        {kAccuracy, AppCommandLine::tr("Run the accuracy check on the first bundled sample after the first result")},
        {kLatency, AppCommandLine::tr("Measure N slider moves (change to redrawn views), print JSON, quit"), "n"},
        {kLanguage, AppCommandLine::tr("Interface language: en, de or zh_CN (default: the one chosen in the window, else the "
                       "system's)"), "code"},
        {kAttentionLatency, AppCommandLine::tr("Measure N layer changes in the Attention view, print JSON, quit"), "n"},
        {kShowAttention, AppCommandLine::tr("Start with the Attention view in front")},
    });
}

QString AppCommandLine::parse(const QStringList& arguments, AppOptions* o) {
    *o = AppOptions();
    if (!parser_.parse(arguments)) return parser_.errorText();
    o->help = parser_.isSet("help") || parser_.isSet("help-all");
    o->version = parser_.isSet("version");
    o->model = parser_.value(kModel);
    o->tokenizer = parser_.value(kTokenizer);
    o->prompt = parser_.value(kPrompt);
    o->schedulePath = parser_.value(kSchedule);
    o->screenshot = parser_.value(kScreenshot);
    o->runAccuracy = parser_.isSet(kAccuracy);
    o->language = parser_.value(kLanguage);
    o->showAttention = parser_.isSet(kShowAttention);
    if (!parser_.positionalArguments().isEmpty())
        return AppCommandLine::tr("unexpected argument \"%1\" (options start with --; see --help)").arg(parser_.positionalArguments().front());

    auto number = [&](const char* name, double low, double high, double* out) -> QString {
        bool ok = false;
        const QString text = parser_.value(name);
        const double v = text.trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(v) || v > high || v < low)
            return AppCommandLine::tr("--%1 %2: give a number from %3 to %4").arg(QString::fromLatin1(name), text).arg(low).arg(high);
        *out = v;
        return {};
    };
    if (parser_.isSet(kKeep)) {
        double q = 0;
        if (QString e = number(kKeep, ScheduleRatioControl::kSmallestRatio, 1.0, &q); !e.isEmpty()) return e;
        o->keepRatio = q;
    }
    if (parser_.isSet(kMethod)) {
        // The schedule file names its own method: two answers to one question is a mistake to point out.
        if (parser_.isSet(kSchedule))
            return AppCommandLine::tr("--method %1: not with --schedule, whose file names its method").arg(parser_.value(kMethod));
        try {
            o->method = parseMethodName(parser_.value(kMethod).trimmed().toStdString());
        } catch (const std::exception& e) {
            return AppCommandLine::tr("--method %1: %2").arg(parser_.value(kMethod), QString::fromUtf8(e.what()));
        }
    }
    if (parser_.isSet(kDpi))
        if (QString e = number(kDpi, 10, 2400, &o->figure.dpi); !e.isEmpty()) return e;
    if (parser_.isSet(kFont))
        if (QString e = number(kFont, 4, 72, &o->figure.fontPt); !e.isEmpty()) return e;
    for (const char* name : {kLayer, kToken}) {
        if (!parser_.isSet(name)) continue;
        double v = 0;
        if (QString e = number(name, 0, 1e6, &v); !e.isEmpty()) return e;
        if (v != std::floor(v)) return AppCommandLine::tr("--%1 %2: not a whole number").arg(QString::fromLatin1(name), parser_.value(name));
        (name == kLayer ? o->layer : o->token) = int(v);
    }
    if (parser_.isSet(kLatency)) {
        double v = 0;
        if (QString e = number(kLatency, 1, 100000, &v); !e.isEmpty()) return e;
        o->benchmarkMoves = int(v);
    }
    if (parser_.isSet(kAttentionLatency)) {
        double v = 0;
        if (QString e = number(kAttentionLatency, 1, 100000, &v); !e.isEmpty()) return e;
        o->attentionMoves = int(v);
    }
    if (parser_.isSet(kSize)) {
        const std::optional<QSize> size = parseSize(parser_.value(kSize));
        if (!size || size->width() < 100 || size->height() < 100 || size->width() > 20000 || size->height() > 20000)
            return AppCommandLine::tr("--size %1: give the width and height in pixels, each from 100 to 20000, e.g. 1600x1000")
                .arg(parser_.value(kSize));
        o->figure.widthPx = size->width();
        o->figure.heightPx = size->height();
    }
    if (parser_.isSet(kWindowSize)) {
        const std::optional<QSize> size = parseSize(parser_.value(kWindowSize));
        if (!size || size->width() < 400 || size->height() < 300)
            return AppCommandLine::tr("--window-size %1: give the width and height in pixels, e.g. 1920x1200").arg(parser_.value(kWindowSize));
        o->windowSize = *size;
    }
    QStringList specs = parser_.values(kExport);
    for (const QString& file : parser_.values(kExportHeatmap)) specs << "heatmap=" + file;
    for (const QString& spec : specs) {
        const int eq = spec.indexOf('=');
        const QString view = spec.left(eq).trimmed(), file = eq < 0 ? QString() : spec.mid(eq + 1);
        if (eq <= 0 || file.isEmpty())
            return AppCommandLine::tr("--export %1: write it as VIEW=FILE, e.g. --export heatmap=heatmap.pdf").arg(spec);
        const QString ext = QFileInfo(file).suffix().toLower();
        if (ext != "png" && ext != "pdf" && ext != "svg")
            return AppCommandLine::tr("--export %1: unknown image format \"%2\" (use .png, .pdf or .svg)").arg(spec, ext);
        o->exports.emplace_back(view, file);
    }
    if (const QString problem = o->figure.problem(); !problem.isEmpty()) return problem;
    return {};
}

}  // namespace ssmlens
