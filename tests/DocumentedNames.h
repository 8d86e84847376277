#pragma once
// What a page of docs/ lists, for the tests that hold the program's published formats against their
// documentation: the names in backticks in the first column of a table of one section.
#include <QFile>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <set>
#include <string>

namespace ssmlens::testing {

// The text of docs/PAGE in the source tree (empty when it cannot be read).
inline QString docsPage(const QString& page) {
    QFile f(QString(SSMLENS_SOURCE_DIR) + "/docs/" + page);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// In the section "## SECTION" of docs/PAGE (up to the next "## "), the rows of the table whose header's first
// cell is COLUMN: the `name` of each row's first cell.
inline std::set<std::string> documentedNames(const QString& page, const QString& section, const QString& column) {
    const QStringList lines = docsPage(page).split('\n');
    std::set<std::string> names;
    bool inSection = false, inTable = false;
    static const QRegularExpression firstCell(R"(^\|\s*`([^`]+)`\s*\|)");
    for (const QString& line : lines) {
        if (line.startsWith("## ")) inSection = line.mid(3).trimmed() == section;
        if (!inSection) continue;
        if (line.startsWith("| " + column + " |")) inTable = true;
        else if (!line.startsWith("|")) inTable = false;
        else if (inTable) {
            const QRegularExpressionMatch m = firstCell.match(line);
            if (m.hasMatch()) names.insert(m.captured(1).toStdString());
        }
    }
    return names;
}

// The keys docs/trace-format.md shows in its JSON sketch: those of the top-level object (indented 6 spaces), of
// each layer's object (10 spaces) and of a next-token candidate ({"id", "piece", "probability"}). Keys whose
// comment begins "with --" (written only when an option asks for them) are also in the optional sets.
struct TraceFormatNames {
    std::set<std::string> top, layer, candidate;
    std::set<std::string> optionalTop, optionalLayer;
};

inline TraceFormatNames traceFormatNames() {
    TraceFormatNames names;
    static const QRegularExpression key(R"re("([a-z_]+)"\s*:)re"), word(R"re("([a-z_]+)")re");
    for (QString line : docsPage("trace-format.md").split('\n')) {
        const qsizetype comment = line.indexOf("//");
        const bool optional = comment >= 0 && line.mid(comment + 2).trimmed().startsWith("with --");
        if (comment >= 0) line.truncate(comment);
        static const QRegularExpression nonSpace("\\S");
        const qsizetype lead = line.indexOf(nonSpace);
        std::set<std::string>* into = lead == 6 ? &names.top : lead == 10 ? &names.layer : nullptr;
        std::set<std::string>* optionalInto = lead == 6 ? &names.optionalTop : &names.optionalLayer;
        if (!into) continue;
        for (auto it = key.globalMatch(line); it.hasNext();) {
            const std::string name = it.next().captured(1).toStdString();
            into->insert(name);
            if (optional) optionalInto->insert(name);
        }
        const qsizetype open = line.indexOf("[{"), close = line.indexOf("}");
        if (lead == 6 && line.contains("\"dense_top_k\"") && open >= 0 && close > open)
            for (auto it = word.globalMatch(line.mid(open, close - open)); it.hasNext();)
                names.candidate.insert(it.next().captured(1).toStdString());
    }
    return names;
}

}  // namespace ssmlens::testing
