import { test } from '@japa/runner'
import CreateShopper from '#actions/users/create_shopper'

test.group('Generated usernames', () => {
  test('are readable adjective-animal-number names, safe in URLs', ({ assert }) => {
    for (let i = 0; i < 200; i++) {
      assert.match(CreateShopper.generateUsername(), /^[a-z]+(-[a-z]+)+-\d{4}$/)
    }
  })

  test('vary from one shopper to the next', ({ assert }) => {
    const names = new Set(Array.from({ length: 200 }, () => CreateShopper.generateUsername()))
    assert.isAbove(names.size, 190)
  })
})
