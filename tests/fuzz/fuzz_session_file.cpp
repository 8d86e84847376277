// A saved session (app/gui/SessionFile.cpp): loadSession never throws, it returns a message.
#include "FuzzInput.h"

#include <QString>

#include "app/gui/SessionFile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    ssmlens::fuzz::MemoryFile file(data, size);
    QString error;
    (void)ssmlens::loadSession(QString::fromStdString(file.path()), &error);
    return 0;
}
