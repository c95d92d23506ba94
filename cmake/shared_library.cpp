// libkeras-cpp.so is the folder libraries linked whole; CMake needs a source
// of its own for the shared library target.
