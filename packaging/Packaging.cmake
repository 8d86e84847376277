# Installed data and CPack packages, included from the top-level CMakeLists.txt after the targets.
# The programs' own install rules are in app/CMakeLists.txt (bin/) and core/CMakeLists.txt (the sentencepiece
# module); the layout is described in packaging/README.md.
#
#   cmake --install build --prefix /tmp/ssmlens-install        # a relocatable tree
#   cd build && cpack -G DEB && cpack -G TGZ                    # ssmlens_0.1.0-1_amd64.deb, ssmlens-0.1.0-Linux-x86_64.tar.gz

set(SSMLENS_PACKAGING_DIR ${CMAKE_CURRENT_LIST_DIR})

# --- bundled resources: share/ssmlens/{demo-model,eval-samples} (core/runtime/DemoModel.cpp finds them) ---
foreach(resource demo-model eval-samples)
  if(IS_DIRECTORY ${PROJECT_SOURCE_DIR}/resources/${resource})
    install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/${resource} DESTINATION ${SSMLENS_INSTALL_DATADIR})
  endif()
endforeach()

# --- desktop integration (the window only) ---
if(SSMLENS_BUILD_GUI)
  install(FILES ${SSMLENS_PACKAGING_DIR}/ssmlens.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  install(FILES ${SSMLENS_PACKAGING_DIR}/io.github.ssmlens.SsmLens.metainfo.xml
          DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
  install(FILES ${SSMLENS_PACKAGING_DIR}/ssmlens.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
endif()

# --- documentation: the README, and where the demo model's weights come from (docs/corpus.md asks that the
# source and licence table travel with the weights) ---
set(SSMLENS_INSTALL_DOCDIR "${CMAKE_INSTALL_DATAROOTDIR}/doc/ssmlens" CACHE STRING
  "Where README.md and the demo model's notes are installed, relative to the prefix")
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/demo-model.md ${PROJECT_SOURCE_DIR}/docs/corpus.md
        DESTINATION ${SSMLENS_INSTALL_DOCDIR})

# --- a test of the installed tree: install into the build folder and run check_install.sh on it (the programs
# start from there and find the demo model and the sentencepiece module; the window draws a first result) ---
if(SSMLENS_BUILD_TESTS)
  add_test(NAME install_tree
    COMMAND bash -c "rm -rf \"$1\" && \"$0\" --install \"$2\" --prefix \"$1\" >/dev/null && bash \"$3\" \"$1\""
      ${CMAKE_COMMAND} ${CMAKE_BINARY_DIR}/install-test ${CMAKE_BINARY_DIR} ${SSMLENS_PACKAGING_DIR}/check_install.sh)
  set_tests_properties(install_tree PROPERTIES LABELS packaging TIMEOUT 300
    ENVIRONMENT "OMP_NUM_THREADS=2;OMP_WAIT_POLICY=PASSIVE")
endif()

# --- CPack: DEB and TGZ ---
set(CPACK_PACKAGE_NAME ssmlens)
set(CPACK_PACKAGE_VENDOR "SSM Lens")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "explore token reduction inside Mamba-2 language models")
# Lines under 80 characters: the .deb's Description keeps them as written.
set(CPACK_PACKAGE_DESCRIPTION [[SSM Lens loads a Mamba-2 language model checkpoint (the state-spaces
mamba2 releases or their Hugging Face conversions), runs it on the CPU or a
GPU through a C++ engine built on libtorch, and shows what post-training
token reduction does inside the model: which tokens each layer merges or
prunes, how the next-token distribution changes, and the accuracy cost
against the FLOPs saved.

This package holds the desktop application (ssmlens), the command-line tool
(ssmlens-cli) and a bundled 19.7 M-parameter demo model with small
evaluation samples.]])
set(SSMLENS_PACKAGE_MAINTAINER "SSM Lens maintainers <maintainers@users.noreply.h-seed-d575b0be.example>"
  CACHE STRING "Maintainer named in the packages")
set(CPACK_PACKAGE_CONTACT "${SSMLENS_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_INSTALL_DIRECTORY ssmlens)
set(CPACK_PACKAGE_FILE_NAME "ssmlens-${PROJECT_VERSION}-${CMAKE_SYSTEM_NAME}-${CMAKE_SYSTEM_PROCESSOR}")
set(CPACK_GENERATOR "DEB;TGZ")
set(CPACK_STRIP_FILES ON)  # symbols the crash report needs are in .dynsym (ENABLE_EXPORTS), which stays
set(CPACK_THREADS 0)       # xz/gzip on all cores

# DEB: installs under /usr (CPack's default for DEB); TGZ: a relocatable tree ssmlens-VERSION-Linux-ARCH/.
set(CPACK_DEBIAN_PACKAGE_NAME ssmlens)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # ssmlens_VERSION-RELEASE_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${SSMLENS_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

# Dependencies. With dpkg-shlibdeps (dpkg-dev) the versioned list is computed from the binaries, as
# debhelper would; the hand list below is the fallback and names the same Debian 12 packages. Both assume
# Debian's libtorch (libtorch1.13 in /usr/lib): dpkg-shlibdeps fails on a libtorch no package owns, so a build
# against another one (pip's, a CUDA libtorch) gets the hand list, which cannot name it.
set(SSMLENS_SYSTEM_TORCH ON)
if(TORCH_LIBRARY AND NOT TORCH_LIBRARY MATCHES "^/usr/lib/")
  set(SSMLENS_SYSTEM_TORCH OFF)
  message(STATUS "SSM Lens: libtorch is not Debian's (${TORCH_LIBRARY}); the .deb cannot depend on it")
endif()
find_program(SSMLENS_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(SSMLENS_DPKG_SHLIBDEPS AND SSMLENS_SYSTEM_TORCH)
  set(SSMLENS_DEB_SHLIBDEPS_DEFAULT ON)
else()
  set(SSMLENS_DEB_SHLIBDEPS_DEFAULT OFF)
endif()
option(SSMLENS_DEB_SHLIBDEPS "Compute the .deb's Depends with dpkg-shlibdeps" ${SSMLENS_DEB_SHLIBDEPS_DEFAULT})
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ${SSMLENS_DEB_SHLIBDEPS})
if(SSMLENS_DEB_SHLIBDEPS)
  # Not linked by the binaries directly (QCustomPlot uses it), so dpkg-shlibdeps would not name it.
  set(SSMLENS_DEB_DEPENDS "")
  if(SSMLENS_BUILD_GUI)
    list(APPEND SSMLENS_DEB_DEPENDS "libqt6printsupport6 (>= 6.4.0)")
  endif()
else()
  set(SSMLENS_DEB_DEPENDS "libc6 (>= 2.35)" "libstdc++6 (>= 11)" "libgcc-s1 (>= 3.0)")
  if(SSMLENS_SYSTEM_TORCH)
    list(APPEND SSMLENS_DEB_DEPENDS "libtorch1.13 (>= 1.13.1+dfsg)")
  endif()
  if(TARGET ssmlens_sentencepiece)
    list(APPEND SSMLENS_DEB_DEPENDS "libsentencepiece0 (>= 0.1.97)")
  endif()
  if(SSMLENS_BUILD_GUI)
    list(APPEND SSMLENS_DEB_DEPENDS "libqt6core6 (>= 6.4.0)" "libqt6gui6 (>= 6.4.0)" "libqt6widgets6 (>= 6.4.0)"
      "libqt6svg6 (>= 6.4.0)" "libqt6printsupport6 (>= 6.4.0)" "libqcustomplot2.1-qt6 (>= 2.1.0+dfsg1)")
  endif()
endif()
list(JOIN SSMLENS_DEB_DEPENDS ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
if(SSMLENS_BUILD_GUI)
  # The xcb platform plugin is in libqt6gui6; qt6-qpa-plugins adds the others (Wayland via qt6-wayland).
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-qpa-plugins")
endif()
# desktop-file-utils and hicolor-icon-theme update their caches through dpkg triggers, so no maintainer scripts
# of ours; CPack itself adds postinst/postrm calling ldconfig because a .so lies under /usr/lib (harmless).

include(CPack)
