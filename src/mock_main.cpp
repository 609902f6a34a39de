#include "taskledger/mock/MockCli.h"

int main(int argc, char** argv) { return taskledger::mock::runMockCli(argc, argv); }
