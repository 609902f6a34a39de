# libFuzzer targets, one per parser that reads text from outside (tests/fuzz/*_fuzz.cpp).
# Included by CMakeLists.txt when -DTASKLEDGER_FUZZ=ON; scripts/fuzz.sh configures, builds and runs
# them. Needs clang: libFuzzer ships with it (Debian: clang, libclang-rt-dev).
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "TASKLEDGER_FUZZ needs clang (configure with -DCMAKE_CXX_COMPILER=clang++)")
endif()

set(TASKLEDGER_FUZZ_SANITIZERS address,undefined)
set(TASKLEDGER_FUZZ_FLAGS -fno-omit-frame-pointer -fno-sanitize-recover=all)

# The libraries under test get coverage instrumentation (fuzzer-no-link), so the fuzzer is guided
# through their branches, and the sanitizers. Whatever links them then needs the sanitizer
# runtimes, including the project's own binaries, which still build and run.
set(TASKLEDGER_FUZZED_LIBS taskledger_domain taskledger_import taskledger_tencent)
foreach(lib IN LISTS TASKLEDGER_FUZZED_LIBS)
  target_compile_options(${lib} PRIVATE -fsanitize=fuzzer-no-link,${TASKLEDGER_FUZZ_SANITIZERS}
                         ${TASKLEDGER_FUZZ_FLAGS})
  target_link_options(${lib} INTERFACE -fsanitize=${TASKLEDGER_FUZZ_SANITIZERS})
endforeach()

add_custom_target(fuzz_targets)

# taskledger_fuzz_target(NAME SOURCE LIBS...): an executable fuzz_<NAME>; its seed corpus is
# tests/fuzz/corpus/<NAME>/.
function(taskledger_fuzz_target name source)
  add_executable(fuzz_${name} ${CMAKE_SOURCE_DIR}/tests/fuzz/${source})
  target_compile_options(fuzz_${name} PRIVATE -fsanitize=fuzzer,${TASKLEDGER_FUZZ_SANITIZERS}
                         ${TASKLEDGER_FUZZ_FLAGS})
  target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer,${TASKLEDGER_FUZZ_SANITIZERS})
  target_link_libraries(fuzz_${name} PRIVATE ${ARGN} taskledger_warnings)
  add_dependencies(fuzz_targets fuzz_${name})
endfunction()

taskledger_fuzz_target(csv_import CsvImport_fuzz.cpp taskledger_import)
taskledger_fuzz_target(response Response_fuzz.cpp taskledger_tencent)
taskledger_fuzz_target(duration Duration_fuzz.cpp taskledger_domain)
taskledger_fuzz_target(timestamp Timestamp_fuzz.cpp taskledger_domain)
taskledger_fuzz_target(tccli_answer TccliAnswer_fuzz.cpp taskledger_import)
