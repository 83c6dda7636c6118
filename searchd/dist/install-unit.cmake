# Installs the systemd unit with ExecStart naming this installation's accord-searchd.
# Runs at install time (install(CODE) in searchd/CMakeLists.txt), where
# CMAKE_INSTALL_PREFIX is the prefix really installed to: the configured one, the one
# of cmake --install --prefix, or /usr for cpack. Input: ACC_UNIT_IN (the unit, which
# says /usr/local/bin/accord-searchd), ACC_UNIT_OUT (a scratch copy), ACC_UNIT_BINDIR.
set(bindir "${ACC_UNIT_BINDIR}")
if(NOT IS_ABSOLUTE "${bindir}")
    set(bindir "${CMAKE_INSTALL_PREFIX}/${bindir}")
endif()
file(READ "${ACC_UNIT_IN}" unit)
string(REPLACE "/usr/local/bin/accord-searchd" "${bindir}/accord-searchd" unit "${unit}")
file(WRITE "${ACC_UNIT_OUT}" "${unit}")
# file(INSTALL) adds $DESTDIR and records the file in install_manifest.txt
file(INSTALL DESTINATION "${CMAKE_INSTALL_PREFIX}/lib/systemd/system" TYPE FILE
     FILES "${ACC_UNIT_OUT}")
