// The board's OTA partitions (esp_ota_ops.h, esp_partition.h) over files
// in the state directory, and the bootloader's choice of the image at each
// start. What a twin image is and how it boots: firmware/README.md, "Firmware updates in the twin".
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <string>

#include "esp_ota_ops.h"
#include "twin.h"

namespace {

// Two slots of the default 4 MB partition table with OTA (app0, app1).
// Constant-initialised: the bootloader runs before C++'s constructors.
const esp_partition_t kSlots[2] = {
    {nullptr, ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_APP_OTA_0, 0x10000, 0x140000, 0x1000, "app0", false},
    {nullptr, ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_APP_OTA_1, 0x150000, 0x140000, 0x1000, "app1", false},
};
const char kImageMagic[] = "VENDORA-TWIN-IMAGE ";
const size_t kMaxHeaderLine = 256;
const esp_ota_handle_t kHandle = 1;

/** otadata: the slot that boots and its state; the other slot is the previous, valid image. */
struct OtaData {
  int boot = 0;
  esp_ota_img_states_t state = ESP_OTA_IMG_UNDEFINED;
};

/** Everything here, built on first use (the bootloader runs from a constructor of priority 101). */
struct Flash {
  std::string dir;
  OtaData data;
  int running = 0;
  FILE* writing = nullptr;  // the open esp_ota_begin, if any
  int writingSlot = -1;
  bool wifiBlocked = false;
};

Flash& flash() {
  static Flash state;
  return state;
}

std::string slotPath(int slot) { return flash().dir + "/ota_" + std::to_string(slot) + ".bin"; }
std::string otaDataPath() { return flash().dir + "/otadata"; }

const char* stateName(esp_ota_img_states_t state) {
  switch (state) {
    case ESP_OTA_IMG_NEW:
      return "new";
    case ESP_OTA_IMG_PENDING_VERIFY:
      return "pending_verify";
    case ESP_OTA_IMG_VALID:
      return "valid";
    case ESP_OTA_IMG_INVALID:
      return "invalid";
    case ESP_OTA_IMG_ABORTED:
      return "aborted";
    default:
      return "undefined";
  }
}

esp_ota_img_states_t stateOf(const std::string& name) {
  const esp_ota_img_states_t all[] = {ESP_OTA_IMG_NEW, ESP_OTA_IMG_PENDING_VERIFY, ESP_OTA_IMG_VALID,
                                      ESP_OTA_IMG_INVALID, ESP_OTA_IMG_ABORTED};
  for (esp_ota_img_states_t state : all) {
    if (name == stateName(state)) return state;
  }
  return ESP_OTA_IMG_UNDEFINED;
}

OtaData loadOtaData() {
  OtaData data;
  FILE* file = fopen(otaDataPath().c_str(), "r");
  if (!file) return data;
  int boot = 0;
  char state[32] = "";
  if (fscanf(file, "boot %d\nstate %31s", &boot, state) == 2 && (boot == 0 || boot == 1)) {
    data.boot = boot;
    data.state = stateOf(state);
  }
  fclose(file);
  return data;
}

/** Written to a new file, then renamed over the old: a power cut leaves one or the other. */
bool saveOtaData(const OtaData& data) {
  const std::string path = otaDataPath();
  const std::string temporary = path + ".new";
  FILE* file = fopen(temporary.c_str(), "w");
  if (!file) return false;
  const bool written = fprintf(file, "boot %d\nstate %s\n", data.boot, stateName(data.state)) > 0;
  const bool synced = fflush(file) == 0 && fsync(fileno(file)) == 0;
  fclose(file);
  return written && synced && rename(temporary.c_str(), path.c_str()) == 0;
}

/**
 * Reads a slot's image header. A slot without a file holds the image the
 * twin was built as (`firmware` empty).
 *
 * @returns false when the slot's bytes are not a twin image
 */
bool readImage(int slot, twin::BootImage& image) {
  image = twin::BootImage();
  FILE* file = fopen(slotPath(slot).c_str(), "rb");
  if (!file) return slot == 0 && errno == ENOENT;
  char line[kMaxHeaderLine + 1] = "";
  const bool read = fgets(line, sizeof line, file) != nullptr;
  fclose(file);
  const size_t length = strlen(line);
  if (!read || strncmp(line, kImageMagic, sizeof kImageMagic - 1) != 0 || length == 0 || line[length - 1] != '\n') {
    return false;
  }
  std::string rest(line + sizeof kImageMagic - 1, length - (sizeof kImageMagic - 1) - 1);
  const size_t space = rest.find(' ');
  image.firmware = rest.substr(0, space);
  const std::string flags = space == std::string::npos ? std::string() : rest.substr(space) + " ";
  image.noRejoin = flags.find(" no-rejoin ") != std::string::npos;
  return !image.firmware.empty();
}

int slotOf(const esp_partition_t* partition) {
  if (partition == &kSlots[0]) return 0;
  if (partition == &kSlots[1]) return 1;
  return -1;
}

void console(const std::string& line) { fprintf(stderr, "bootloader: %s\n", line.c_str()); }

}  // namespace

namespace twin {

BootImage bootFromFlash(const std::string& stateDir) {
  Flash& state = flash();
  state.dir = stateDir;
  OtaData& data = state.data;
  data = loadOtaData();
  BootImage image;
  if (data.state == ESP_OTA_IMG_PENDING_VERIFY || data.state == ESP_OTA_IMG_INVALID ||
      data.state == ESP_OTA_IMG_ABORTED || !readImage(data.boot, image)) {
    // Booted once and never confirmed (or refused): the previous image
    // comes back, as CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE does.
    console("slot " + std::to_string(data.boot) + " is " + stateName(data.state) + "; booting slot " +
            std::to_string(1 - data.boot));
    data.boot = 1 - data.boot;
    data.state = ESP_OTA_IMG_VALID;
    if (!readImage(data.boot, image)) console("slot " + std::to_string(data.boot) + " holds no image either");
    saveOtaData(data);
  } else if (data.state == ESP_OTA_IMG_NEW) {
    data.state = ESP_OTA_IMG_PENDING_VERIFY;
    saveOtaData(data);
  }
  state.running = data.boot;
  state.wifiBlocked = image.noRejoin;
  return image;
}

bool wifiBlocked() { return flash().wifiBlocked; }

}  // namespace twin

esp_err_t esp_ota_begin(const esp_partition_t* partition, size_t image_size, esp_ota_handle_t* out_handle) {
  const int slot = slotOf(partition);
  if (slot < 0 || out_handle == nullptr) return ESP_ERR_INVALID_ARG;
  if (slot == flash().running) return ESP_ERR_OTA_PARTITION_CONFLICT;
  if (image_size != OTA_SIZE_UNKNOWN && image_size != OTA_WITH_SEQUENTIAL_WRITES && image_size > partition->size) {
    return ESP_ERR_INVALID_SIZE;
  }
  esp_ota_abort(kHandle);
  // The slot is erased: its old image is gone, whatever happens next.
  FILE* file = fopen(slotPath(slot).c_str(), "wb");
  if (!file) return ESP_FAIL;
  flash().writing = file;
  flash().writingSlot = slot;
  *out_handle = kHandle;
  return ESP_OK;
}

esp_err_t esp_ota_write(esp_ota_handle_t handle, const void* data, size_t size) {
  Flash& state = flash();
  if (handle != kHandle || state.writing == nullptr) return ESP_ERR_INVALID_ARG;
  if (ftell(state.writing) + static_cast<long>(size) > static_cast<long>(kSlots[state.writingSlot].size)) {
    return ESP_ERR_INVALID_SIZE;
  }
  return fwrite(data, 1, size, state.writing) == size ? ESP_OK : ESP_FAIL;
}

esp_err_t esp_ota_end(esp_ota_handle_t handle) {
  Flash& state = flash();
  if (handle != kHandle || state.writing == nullptr) return ESP_ERR_NOT_FOUND;
  const bool closed = fflush(state.writing) == 0 && fsync(fileno(state.writing)) == 0;
  fclose(state.writing);
  state.writing = nullptr;
  twin::BootImage image;
  // esp_image_verify's part: only a bootable image may end well.
  if (!closed) return ESP_FAIL;
  return readImage(state.writingSlot, image) ? ESP_OK : ESP_ERR_OTA_VALIDATE_FAILED;
}

esp_err_t esp_ota_abort(esp_ota_handle_t handle) {
  Flash& state = flash();
  if (handle != kHandle || state.writing == nullptr) return ESP_ERR_NOT_FOUND;
  fclose(state.writing);
  state.writing = nullptr;
  return ESP_OK;
}

esp_err_t esp_ota_set_boot_partition(const esp_partition_t* partition) {
  const int slot = slotOf(partition);
  twin::BootImage image;
  if (slot < 0) return ESP_ERR_INVALID_ARG;
  if (!readImage(slot, image)) return ESP_ERR_OTA_VALIDATE_FAILED;
  OtaData next;
  next.boot = slot;
  next.state = slot == flash().running ? ESP_OTA_IMG_VALID : ESP_OTA_IMG_NEW;
  if (!saveOtaData(next)) return ESP_FAIL;
  flash().data = next;
  return ESP_OK;
}

const esp_partition_t* esp_ota_get_boot_partition(void) { return &kSlots[flash().data.boot]; }

const esp_partition_t* esp_ota_get_running_partition(void) { return &kSlots[flash().running]; }

const esp_partition_t* esp_ota_get_next_update_partition(const esp_partition_t* start_from) {
  const int from = start_from == nullptr ? flash().running : slotOf(start_from);
  return from < 0 ? nullptr : &kSlots[1 - from];
}

esp_err_t esp_ota_mark_app_valid_cancel_rollback(void) {
  Flash& state = flash();
  if (state.data.boot != state.running || state.data.state != ESP_OTA_IMG_PENDING_VERIFY) return ESP_OK;
  OtaData next = state.data;
  next.state = ESP_OTA_IMG_VALID;
  if (!saveOtaData(next)) return ESP_FAIL;
  state.data = next;
  return ESP_OK;
}

esp_err_t esp_ota_mark_app_invalid_rollback_and_reboot(void) {
  Flash& state = flash();
  const int previous = 1 - state.running;
  twin::BootImage image;
  if (!readImage(previous, image)) return ESP_ERR_OTA_ROLLBACK_FAILED;
  OtaData next;
  next.boot = previous;
  next.state = ESP_OTA_IMG_VALID;
  if (!saveOtaData(next)) return ESP_FAIL;
  console("slot " + std::to_string(state.running) + " marked invalid; restarting into slot " +
          std::to_string(previous));
  twin::reboot(ESP_RST_SW);
}

esp_err_t esp_ota_get_state_partition(const esp_partition_t* partition, esp_ota_img_states_t* ota_state) {
  const int slot = slotOf(partition);
  if (slot < 0 || ota_state == nullptr) return ESP_ERR_INVALID_ARG;
  Flash& state = flash();
  if (slot == state.data.boot && state.data.state != ESP_OTA_IMG_UNDEFINED) {
    *ota_state = state.data.state;
    return ESP_OK;
  }
  // The other slot holds the previous image, valid, or nothing.
  twin::BootImage image;
  if (slot != state.data.boot && readImage(slot, image) && (slot != 0 || state.data.state != ESP_OTA_IMG_UNDEFINED)) {
    *ota_state = ESP_OTA_IMG_VALID;
    return ESP_OK;
  }
  return ESP_ERR_NOT_FOUND;
}
